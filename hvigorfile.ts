import { appTasks } from '@ohos/hvigor-ohos-plugin';

export default {
  system: appTasks,  /* Built-in plugin of hvigor: the app-level tasks. Do not change. */
  plugins: []        /* Custom hvigor plugins, if the project ever needs one. */
}
