import { hapTasks } from '@ohos/hvigor-ohos-plugin';

export default {
  system: hapTasks,  /* Built-in plugin of hvigor: the HAP module tasks. Do not change. */
  plugins: []        /* Custom hvigor plugins, if the module ever needs one. */
}
