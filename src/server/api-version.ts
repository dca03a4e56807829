import { VERSION } from '../version.js';

/** Sent as the API-Version header on every answer (NL API Design Rules, API-57). */
export const API_VERSION = VERSION;
