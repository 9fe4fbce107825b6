/*
 * Host stand-in for the part of '@ohos.file.picker' that platform/DocumentPickerFiles.ets uses
 * (DocumentViewPicker with a context: save, select; DocumentSaveOptions, DocumentSelectOptions), so code
 * that wires the device backend bundles on Node. The simulated user (hostPicker) answers with the paths a
 * test gives (fileIo.open of the host stand-in takes a path where the device takes the picker's uri), or
 * cancels (no answer given: an empty list, as the picker returns when the user backs out).
 */
export class HostPicker {
  /** What the next save() returns (then cleared); undefined: the user cancels. */
  nextSave: string | undefined = undefined;
  /** What the next select() returns (then cleared); undefined: the user cancels. */
  nextSelect: string | undefined = undefined;
  /** The options of each call, as `save(names)` / `select(max)`. */
  calls: string[] = [];

  reset(): void {
    this.nextSave = undefined;
    this.nextSelect = undefined;
    this.calls = [];
  }
}

export const hostPicker = new HostPicker();

class DocumentSaveOptions {
  newFileNames?: string[];
}

class DocumentSelectOptions {
  maxSelectNumber?: number;
}

class DocumentViewPicker {
  constructor(context?: object) {
    void context;
  }

  save(option?: DocumentSaveOptions): Promise<string[]> {
    hostPicker.calls.push(`save(${(option?.newFileNames ?? []).join(',')})`);
    const answer = hostPicker.nextSave;
    hostPicker.nextSave = undefined;
    return Promise.resolve(answer === undefined ? [] : [answer]);
  }

  select(option?: DocumentSelectOptions): Promise<string[]> {
    hostPicker.calls.push(`select(${option?.maxSelectNumber ?? ''})`);
    const answer = hostPicker.nextSelect;
    hostPicker.nextSelect = undefined;
    return Promise.resolve(answer === undefined ? [] : [answer]);
  }
}

const picker = { DocumentViewPicker, DocumentSaveOptions, DocumentSelectOptions };
export default picker;
