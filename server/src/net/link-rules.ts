/**
 * The link rules, as the server's network code imports them: the simulator's network, each
 * node's transport and the supervisor's kv proxy. The definition lives in shared/ because the
 * dashboard draws cut and slowed links from the very same rule.
 */
export * from '@clusterlab/shared/link-rules';
