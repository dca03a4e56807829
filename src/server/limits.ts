/**
 * The largest file the API takes in one request (a register, a scan bundle). Larger files go
 * through the CLI on the server's machine; a request body is held in memory and stored with its job.
 */
export const UPLOAD_LIMIT = 64 * 1024 * 1024;
