// The engine's version, stamped into every report. Its own module so that `dumpatlas --version`
// loads nothing else.
export const ENGINE_VERSION = '0.1.0';
