/**
 * A selector the API server would refuse (400 Bad Request). `message` is worded as kube-apiserver
 * words it, so an emulator can answer with it as is.
 */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}
