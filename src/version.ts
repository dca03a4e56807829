/** The product version: the API-Version header, scan bundles and reports name it. */
export const VERSION = '0.1.0';
