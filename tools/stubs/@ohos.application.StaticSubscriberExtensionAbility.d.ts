/*
 * Host declaration of the system API '@ohos.application.StaticSubscriberExtensionAbility' (full SDK only,
 * @systemapi; not in @arkts/declarations): the members Backup Manager uses. The class is since 9, its
 * context since 10 (declared by the SDK as StaticSubscriberExtensionContext, an ExtensionContext: only the
 * ExtensionContext members are used here).
 */
import type common from '@ohos.app.ability.common';
import type commonEventManager from '@ohos.commonEventManager';

/**
 * @syscap SystemCapability.Ability.AbilityRuntime.Core
 * @systemapi
 * @StageModelOnly
 * @since 9
 */
export default class StaticSubscriberExtensionAbility {
  /**
   * @syscap SystemCapability.Ability.AbilityRuntime.Core
   * @systemapi
   * @StageModelOnly
   * @since 10
   */
  context: common.ExtensionContext;

  /**
   * @syscap SystemCapability.Ability.AbilityRuntime.Core
   * @systemapi
   * @StageModelOnly
   * @since 9
   */
  onReceiveEvent(event: commonEventManager.CommonEventData): void;
}
