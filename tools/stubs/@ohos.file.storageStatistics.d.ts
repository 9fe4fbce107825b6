/*
 * Host declaration of '@ohos.file.storageStatistics' as the full SDK has it: the public members of the
 * public SDK's declaration plus the system APIs for the sizes of a volume (full SDK only, @systemapi).
 * Levels (`@since`) and error codes (`@throws`) as interface_sdk-js declares them. Shadows the public
 * declaration in @arkts/declarations.
 */
import type { AsyncCallback } from '@ohos.base';

/**
 * @syscap SystemCapability.FileManagement.StorageService.SpatialStatistics
 * @since 8
 */
declare namespace storageStatistics {
  /**
   * @syscap SystemCapability.FileManagement.StorageService.SpatialStatistics
   * @since 9
   */
  export interface BundleStats {
    /** @since 9 */
    appSize: number;
    /** @since 9 */
    cacheSize: number;
    /** @since 9 */
    dataSize: number;
  }

  /**
   * @throws { BusinessError } 401 - The input parameter is invalid.
   * @throws { BusinessError } 13600001 - IPC error.
   * @throws { BusinessError } 13900042 - Unknown error.
   * @syscap SystemCapability.FileManagement.StorageService.SpatialStatistics
   * @since 9
   */
  function getCurrentBundleStats(): Promise<BundleStats>;

  /**
   * @throws { BusinessError } 401 - The input parameter is invalid.
   * @throws { BusinessError } 13600001 - IPC error.
   * @throws { BusinessError } 13900042 - Unknown error.
   * @syscap SystemCapability.FileManagement.StorageService.SpatialStatistics
   * @since 9
   */
  function getCurrentBundleStats(callback: AsyncCallback<BundleStats>): void;

  /**
   * Free bytes of a volume, by its uuid.
   * @permission ohos.permission.STORAGE_MANAGER
   * @throws { BusinessError } 201 - Permission verification failed.
   * @throws { BusinessError } 202 - The caller is not a system application.
   * @throws { BusinessError } 401 - The input parameter is invalid.
   * @throws { BusinessError } 13600001 - IPC error.
   * @throws { BusinessError } 13600008 - No such object.
   * @throws { BusinessError } 13900042 - Unknown error.
   * @syscap SystemCapability.FileManagement.StorageService.SpatialStatistics
   * @systemapi
   * @since 8
   */
  function getFreeSizeOfVolume(volumeUuid: string): Promise<number>;

  /**
   * Total bytes of a volume, by its uuid.
   * @permission ohos.permission.STORAGE_MANAGER
   * @throws { BusinessError } 201 - Permission verification failed.
   * @throws { BusinessError } 202 - The caller is not a system application.
   * @throws { BusinessError } 401 - The input parameter is invalid.
   * @throws { BusinessError } 13600001 - IPC error.
   * @throws { BusinessError } 13600008 - No such object.
   * @throws { BusinessError } 13900042 - Unknown error.
   * @syscap SystemCapability.FileManagement.StorageService.SpatialStatistics
   * @systemapi
   * @since 8
   */
  function getTotalSizeOfVolume(volumeUuid: string): Promise<number>;
}

export default storageStatistics;
