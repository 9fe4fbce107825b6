/*
 * Host declaration of the system API '@ohos.file.volumeManager' (full SDK only, @systemapi): the members
 * Backup Manager uses to list removable volumes. Levels (`@since`) and error codes (`@throws`) as
 * interface_sdk-js declares them (Volume since 9, its fsType since 12; getAllVolumes since 9).
 */
import type { AsyncCallback } from '@ohos.base';

/**
 * @syscap SystemCapability.FileManagement.StorageService.Volume
 * @systemapi
 * @since 9
 */
declare namespace volumeManager {
  /**
   * @syscap SystemCapability.FileManagement.StorageService.Volume
   * @systemapi
   * @since 9
   */
  export interface Volume {
    /** @since 9 */
    id: string;
    /** @since 9 */
    uuid: string;
    /** @since 9 */
    diskId: string;
    /** @since 9 */
    description: string;
    /** @since 9 */
    removable: boolean;
    /**
     * 0 unmounted, 1 checking, 2 mounted, 3 ejecting.
     * @since 9
     */
    state: number;
    /** @since 9 */
    path: string;
    /**
     * @syscap SystemCapability.FileManagement.StorageService.Volume
     * @systemapi
     * @since 12
     */
    fsType: string;
  }

  /**
   * @permission ohos.permission.STORAGE_MANAGER
   * @throws { BusinessError } 201 - Permission verification failed.
   * @throws { BusinessError } 202 - The caller is not a system application.
   * @throws { BusinessError } 401 - The input parameter is invalid.
   * @throws { BusinessError } 13600001 - IPC error.
   * @throws { BusinessError } 13900042 - Unknown error.
   * @syscap SystemCapability.FileManagement.StorageService.Volume
   * @systemapi
   * @since 9
   */
  function getAllVolumes(callback: AsyncCallback<Array<Volume>>): void;

  /**
   * @permission ohos.permission.STORAGE_MANAGER
   * @throws { BusinessError } 201 - Permission verification failed.
   * @throws { BusinessError } 202 - The caller is not a system application.
   * @throws { BusinessError } 401 - The input parameter is invalid.
   * @throws { BusinessError } 13600001 - IPC error.
   * @throws { BusinessError } 13900042 - Unknown error.
   * @syscap SystemCapability.FileManagement.StorageService.Volume
   * @systemapi
   * @since 9
   */
  function getAllVolumes(): Promise<Array<Volume>>;
}

export default volumeManager;
