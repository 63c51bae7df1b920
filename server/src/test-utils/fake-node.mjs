// A stand-in for the node program, for tests of process management alone: it reports a port
// it does not listen on and lives until told to go (SIGTERM, shutdown) or its supervisor goes.
process.send?.({ type: 'ready', port: 1 });
const bye = () => process.exit(0);
process.on('SIGTERM', bye);
process.on('disconnect', bye);
process.on('message', (m) => m?.type === 'shutdown' && bye());
