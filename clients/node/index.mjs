// ESM entry point: the same classes as the CommonJS module (index.js).
import client from './index.js';

export const { Switchboard, SwitchboardError, ServerExitedError, BinaryNotFoundError, findBinary, METHODS, ERROR_KINDS } = client;
export default client;
