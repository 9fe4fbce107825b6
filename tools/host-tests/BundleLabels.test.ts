/*
 * platform/BundleLabels against the host stand-in of '@ohos.bundle.bundleResourceManager'
 * (tools/host/ohos/@ohos.bundle.bundleResourceManager.ts): labels in one call or one by one, clones by
 * appIndex, what each refusal of the system leads to, icons as data URIs.
 */
import { afterEach, beforeEach, describe, expect, it } from '@ohos/hypium';
import { hostDevice, PERMISSION_GET_BUNDLE_RESOURCES, PERMISSION_GET_INSTALLED_BUNDLE_LIST } from '../host/HostDevice';
import { hostBundleResources } from '@ohos.bundle.bundleResourceManager';
import { BundleLabels, LABEL_SLICE, LabelTarget } from '../../entry/src/main/ets/platform/BundleLabels';
import { RecordingLogger, rejectionOf, resetHost } from './AdapterKit';

const LABEL = 2;   // ResourceFlag.GET_RESOURCE_INFO_WITH_LABEL
const ICON = 4;    // ResourceFlag.GET_RESOURCE_INFO_WITH_ICON

function target(id: string): LabelTarget {
  const [name, index] = id.split(':');
  return new LabelTarget(id, name, index === undefined ? 0 : Number(index));
}

function targets(...ids: string[]): LabelTarget[] {
  return ids.map(target);
}

function entries(labels: Map<string, string>): string[] {
  return [...labels.entries()].map(([id, label]) => `${id}=${label}`).sort();
}

/** Notes with a clone, Maps, and Clock with an empty label; 'gone' and the clone notes:3 are not installed. */
function installApps(): LabelTarget[] {
  hostBundleResources.install('com.example.notes', 'Notes', 'iVBORnotes');
  hostBundleResources.install('com.example.notes', 'Notes (2)', 'data:image/png;base64,iVBORclone', 1);
  hostBundleResources.install('com.example.maps', 'Maps');
  hostBundleResources.install('com.example.clock', '');
  return targets('com.example.notes', 'com.example.notes:1', 'com.example.maps', 'com.example.clock',
    'com.example.gone', 'com.example.notes:3');
}

const NAMED = ['com.example.maps=Maps', 'com.example.notes:1=Notes (2)', 'com.example.notes=Notes'];

export default function bundleLabelsTests(): void {
  describe('BundleLabels', () => {
    beforeEach(() => resetHost());
    afterEach(() => resetHost());

    it('namesEveryInstalledAppAndCloneInOneCall', 0, async () => {
      const wanted = installApps();
      const labels = await new BundleLabels(new RecordingLogger()).labels(wanted);
      expect(entries(labels)).assertDeepEquals(NAMED);
      expect(hostBundleResources.calls).assertDeepEquals([`getAllBundleResourceInfo(${LABEL})`]);
    });

    it('namesOnlyTheAppsAskedFor', 0, async () => {
      installApps();
      const labels = await new BundleLabels(new RecordingLogger()).labels(targets('com.example.maps', 'com.example.notes:1'));
      expect(entries(labels)).assertDeepEquals(['com.example.maps=Maps', 'com.example.notes:1=Notes (2)']);
    });

    it('looksAppsUpOneByOneByAppIndexWhenTheListIsNotPermitted', 0, async () => {
      const wanted = installApps();
      hostDevice.granted.delete(PERMISSION_GET_INSTALLED_BUNDLE_LIST);
      const logger = new RecordingLogger();
      const labels = await new BundleLabels(logger).labels(wanted);
      expect(entries(labels)).assertDeepEquals(NAMED);
      expect(hostBundleResources.calls).assertDeepEquals([
        `getAllBundleResourceInfo(${LABEL})`,
        `getBundleResourceInfo("com.example.notes",${LABEL},0)`, `getBundleResourceInfo("com.example.notes",${LABEL},1)`,
        `getBundleResourceInfo("com.example.maps",${LABEL},0)`, `getBundleResourceInfo("com.example.clock",${LABEL},0)`,
        `getBundleResourceInfo("com.example.gone",${LABEL},0)`, `getBundleResourceInfo("com.example.notes",${LABEL},3)`,
      ]);
      expect(logger.with('one by one').length).assertEqual(1);
      // gone (17700001) and notes:3 (17700061) are not installed here; clock has no label: shown by name too.
      expect(logger.with('3 of 6 apps shown by bundle name (2 not installed here, 0 failed)').length).assertEqual(1);
    });

    it('looksUpThousandsInSlicesAndNamesThemAll', 0, async () => {
      const wanted: LabelTarget[] = [];
      for (let i = 0; i < LABEL_SLICE * 3 + 7; i++) {
        hostBundleResources.install(`com.example.app${i}`, `App ${i}`);
        wanted.push(target(`com.example.app${i}`));
      }
      hostBundleResources.listFailure = 201;
      const labels = await new BundleLabels(new RecordingLogger()).labels(wanted);
      expect(labels.size).assertEqual(wanted.length);
      expect(labels.get(`com.example.app${LABEL_SLICE * 3 + 6}`)).assertEqual(`App ${LABEL_SLICE * 3 + 6}`);
      expect(hostBundleResources.lookups()).assertEqual(wanted.length);
    });

    it('namesNothingAndLooksNothingUpWhenNotASystemApp', 0, async () => {
      const wanted = installApps();
      hostDevice.systemApp = false;
      const logger = new RecordingLogger();
      const labels = await new BundleLabels(logger).labels(wanted);
      expect(labels.size).assertEqual(0);
      expect(hostBundleResources.calls.length).assertEqual(1);
      expect(logger.with('not signed as a system app').length).assertEqual(1);
    });

    it('stopsAtTheFirstLookupThatIsNotPermitted', 0, async () => {
      const wanted = installApps();
      hostDevice.granted.delete(PERMISSION_GET_BUNDLE_RESOURCES);
      const logger = new RecordingLogger();
      const labels = await new BundleLabels(logger).labels(wanted);
      expect(labels.size).assertEqual(0);
      expect(hostBundleResources.lookups()).assertEqual(1);
      expect(logger.with('app labels not permitted (201): 6 apps shown by bundle name').length).assertEqual(1);
    });

    it('fallsBackToLookupsOnAnyOtherListFailure', 0, async () => {
      const wanted = installApps();
      hostBundleResources.listFailure = 17700004;
      const logger = new RecordingLogger();
      const labels = await new BundleLabels(logger).labels(wanted);
      expect(entries(labels)).assertDeepEquals(NAMED);
      expect(logger.with('W bundle list failed (17700004').length).assertEqual(1);
    });

    it('leavesOutAnAppWhoseLookupFailsAndNamesTheRest', 0, async () => {
      const wanted = installApps();
      hostBundleResources.listFailure = 201;
      hostBundleResources.failFor('com.example.notes', 1, 17700004);
      const logger = new RecordingLogger();
      const labels = await new BundleLabels(logger).labels(wanted);
      expect(entries(labels)).assertDeepEquals(['com.example.maps=Maps', 'com.example.notes=Notes']);
      expect(logger.with('W label of com.example.notes:1 not readable: 17700004').length).assertEqual(1);
      expect(hostBundleResources.lookups()).assertEqual(wanted.length);
    });

    it('letsAFaultWithoutACodeThrough', 0, async () => {
      installApps();
      hostBundleResources.fault = new TypeError('cannot read properties of undefined');
      const err = await rejectionOf(new BundleLabels(new RecordingLogger()).labels(targets('com.example.maps')));
      expect(err instanceof TypeError).assertTrue();
      let thrown = '';
      try {
        await new BundleLabels(new RecordingLogger()).icon(target('com.example.maps'));
      } catch (e) {
        thrown = (e as Error).message;
      }
      expect(thrown).assertEqual('cannot read properties of undefined');
    });

    it('makesNoCallForNoApps', 0, async () => {
      expect((await new BundleLabels(new RecordingLogger()).labels([])).size).assertEqual(0);
      expect(hostBundleResources.calls.length).assertEqual(0);
    });

    it('givesIconsAsDataUrisByAppIndex', 0, async () => {
      installApps();
      const labels = new BundleLabels(new RecordingLogger());
      expect(await labels.icon(target('com.example.notes'))).assertEqual('data:image/png;base64,iVBORnotes');
      expect(await labels.icon(target('com.example.notes:1'))).assertEqual('data:image/png;base64,iVBORclone');
      expect(await labels.icon(target('com.example.maps'))).assertEqual('');
      expect(hostBundleResources.calls.slice(0, 2)).assertDeepEquals([
        `getBundleResourceInfo("com.example.notes",${ICON},0)`, `getBundleResourceInfo("com.example.notes",${ICON},1)`,
      ]);
    });

    it('givesNoIconWhereTheSystemGivesNone', 0, async () => {
      installApps();
      const logger = new RecordingLogger();
      const labels = new BundleLabels(logger);
      expect(await labels.icon(target('com.example.gone'))).assertEqual('');
      expect(await labels.icon(target('com.example.notes:3'))).assertEqual('');
      hostDevice.granted.delete(PERMISSION_GET_BUNDLE_RESOURCES);
      expect(await labels.icon(target('com.example.notes'))).assertEqual('');
      expect(logger.lines).assertDeepEquals([
        'D no icon for com.example.gone: 17700001', 'D no icon for com.example.notes:3: 17700061',
        'D no icon for com.example.notes: 201',
      ]);
    });
  });
}
