/*
 * Host declaration of the system API '@ohos.bundle.bundleResourceManager' (full SDK only, @systemapi): the
 * members Backup Manager uses to show the labels and icons of installed apps. Levels (`@since`) and error
 * codes (`@throws`) as interface_sdk-js declares them at OpenHarmony-v5.1.0-Release (API 18), unchanged
 * since OpenHarmony-v5.0.0-Release (API 12). The SDK declares BundleResourceInfo in
 * bundleManager/BundleResourceInfo.d.ts (also with drawableDescriptor, since 12, left out here).
 */
import type { AsyncCallback } from '@ohos.base';

/**
 * @syscap SystemCapability.BundleManager.BundleFramework.Resource
 * @systemapi
 * @since 11
 */
declare namespace bundleResourceManager {
  /** @since 11 */
  enum ResourceFlag {
    /** @since 11 */
    GET_RESOURCE_INFO_ALL = 0x00000001,
    /** @since 11 */
    GET_RESOURCE_INFO_WITH_LABEL = 0x00000002,
    /** @since 11 */
    GET_RESOURCE_INFO_WITH_ICON = 0x00000004,
    /** @since 11 */
    GET_RESOURCE_INFO_WITH_SORTED_BY_LABEL = 0x00000008,
    /** @since 12 */
    GET_RESOURCE_INFO_WITH_DRAWABLE_DESCRIPTOR = 0x00000010
  }

  /** @since 11 */
  interface BundleResourceInfo {
    /** @since 11 */
    readonly bundleName: string;
    /**
     * The icon image, base64.
     * @since 11
     */
    readonly icon: string;
    /** @since 11 */
    readonly label: string;
    /** @since 12 */
    readonly appIndex: number;
  }

  /**
   * Synchronous.
   * @permission ohos.permission.GET_BUNDLE_RESOURCES
   * @throws { BusinessError } 201 - no permission
   * @throws { BusinessError } 202 - not a system app
   * @throws { BusinessError } 401 - parameter error
   * @throws { BusinessError } 17700001 - bundle not found
   * @since 11
   */
  function getBundleResourceInfo(bundleName: string, resourceFlags?: number): BundleResourceInfo;

  /**
   * Synchronous.
   * @permission ohos.permission.GET_BUNDLE_RESOURCES
   * @throws { BusinessError } 201 - no permission
   * @throws { BusinessError } 202 - not a system app
   * @throws { BusinessError } 401 - parameter error
   * @throws { BusinessError } 17700001 - bundle not found
   * @throws { BusinessError } 17700061 - appIndex not valid
   * @since 12
   */
  function getBundleResourceInfo(bundleName: string, resourceFlags?: number, appIndex?: number): BundleResourceInfo;

  /**
   * @permission ohos.permission.GET_INSTALLED_BUNDLE_LIST and ohos.permission.GET_BUNDLE_RESOURCES
   * @throws { BusinessError } 201 - no permission
   * @throws { BusinessError } 202 - not a system app
   * @throws { BusinessError } 401 - parameter error
   * @since 11
   */
  function getAllBundleResourceInfo(resourceFlags: number, callback: AsyncCallback<Array<BundleResourceInfo>>): void;

  /**
   * @permission ohos.permission.GET_INSTALLED_BUNDLE_LIST and ohos.permission.GET_BUNDLE_RESOURCES
   * @throws { BusinessError } 201 - no permission
   * @throws { BusinessError } 202 - not a system app
   * @throws { BusinessError } 401 - parameter error
   * @since 11
   */
  function getAllBundleResourceInfo(resourceFlags: number): Promise<Array<BundleResourceInfo>>;
}

export default bundleResourceManager;
