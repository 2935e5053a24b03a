/** Type files (paths relative to the shared types folder) that make up the built-in registry. */
export const BUILTIN_SOURCES: readonly string[] = [
  'normative-orchestrator/tosca-normative-types-1.0.0.yaml',
  'indigo/custom_types.yaml',
  'indigo/refs/devel/custom_types.yaml',
  'indigo/refs/dodas_roll/custom_types.yaml',
  'indigo/refs/add-ek/custom_types.yaml',
  'infn/custom_types.yaml',
  'infn/tosca_types/base/basic_types.yaml',
  'infn/tosca_types/base/cluster_basic_types.yaml',
  'infn/tosca_types/infrastructure/docker_runtime_types.yaml',
  'infn/tosca_types/infrastructure/docker_types.yaml',
  'infn/tosca_types/infrastructure/kubernetes_types.yaml',
  'infn/tosca_types/infrastructure/mesos_types.yaml',
  'infn/tosca_types/applications/elastic_types.yaml',
  'infn/tosca_types/applications/htcondor_mini_types.yaml',
  'infn/tosca_types/applications/htcondor_types.yaml',
  'infn/tosca_types/applications/iam_types.yaml',
  'infn/tosca_types/applications/jupyter_types.yaml',
  'infn/tosca_types/applications/spark_types.yaml',
  'infn/tosca_types/applications/storage_apps_types.yaml',
];

/** The normative types every template sees without importing them. */
export const NORMATIVE_SOURCE = 'normative-orchestrator/tosca-normative-types-1.0.0.yaml';
