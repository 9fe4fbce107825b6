/*
 * Host declaration of the system API '@ohos.bundle.bundleResourceManager' (full SDK only, @systemapi): the
 * members Backup Manager uses to show the labels and icons of installed apps.
 */
declare namespace bundleResourceManager {
  /** @since 11 */
  enum ResourceFlag {
    GET_RESOURCE_INFO_ALL = 0x00000001,
    GET_RESOURCE_INFO_WITH_LABEL = 0x00000002,
    GET_RESOURCE_INFO_WITH_ICON = 0x00000004,
    GET_RESOURCE_INFO_WITH_SORTED_BY_LABEL = 0x00000008,
    GET_RESOURCE_INFO_WITH_DRAWABLE_DESCRIPTOR = 0x00000010
  }

  /** @since 11 */
  interface BundleResourceInfo {
    readonly bundleName: string;
    readonly moduleName: string;
    readonly abilityName: string;
    readonly label: string;
    /** The icon image, base64. */
    readonly icon: string;
    /** @since 12 */
    readonly appIndex: number;
  }

  /**
   * Synchronous. @permission ohos.permission.GET_BUNDLE_RESOURCES
   * @throws { BusinessError } 201 | 202 | 401 | 17700001 (bundle not found) | 17700061 (appIndex not valid)
   * @since 11; appIndex since 12
   */
  function getBundleResourceInfo(bundleName: string, resourceFlags?: number, appIndex?: number): BundleResourceInfo;

  /**
   * @permission ohos.permission.GET_INSTALLED_BUNDLE_LIST and ohos.permission.GET_BUNDLE_RESOURCES
   * @throws { BusinessError } 201 | 202 | 401
   * @since 11
   */
  function getAllBundleResourceInfo(resourceFlags: number): Promise<Array<BundleResourceInfo>>;
}

export default bundleResourceManager;
