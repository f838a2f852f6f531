/**
 * Stand-ins for what the lab cannot reach: the cloud CLIs (aws, gcloud, az, gh) and the two
 * downloads of docs/pipeline.md's cluster setup (the Argo Rollouts install manifest, the Flagger
 * Helm chart). They are put first on PATH while the docs' setup commands run, so those commands
 * run as written. Each cloud grant that gives Kubernetes rights is recorded in grants.jsonl and
 * turned into the RBAC objects the provider documents for it (see providerRoles below).
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HELM, LAB_BIN, LAB_DIR } from "./cluster.js";

export function writeShims(dir: string): string {
  const bin = join(dir, "shims");
  mkdirSync(bin, { recursive: true });
  const grants = join(dir, "grants.jsonl");
  writeFileSync(grants, "");
  const sh = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\nset -euo pipefail\nGRANTS=${JSON.stringify(grants)}\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  // A JSON line of the arguments, for the grant records.
  const record = `python3 -c 'import json,sys; print(json.dumps({"cli": sys.argv[1], "args": sys.argv[2:]}))' "$(basename "$0")" "$@" >> "$GRANTS"`;
  sh(
    "aws",
    `${record}
case "$*" in
  *"get-login-password"*) echo "lab-ecr-token" ;;
  *"--query"*) echo "lab-value" ;;
esac`,
  );
  // A cluster described as JSON is a Standard cluster whose one node pool runs as the Compute
  // Engine default service account ("default"), as gcloud prints it.
  sh(
    "gcloud",
    `${record}
case "$*" in
  *"container clusters describe"*"--format json"*) echo '{"autopilot":{},"nodePools":[{"name":"default-pool","config":{"serviceAccount":"default"}}]}' ;;
  *"projects describe"*"--format"*) echo "000000000000" ;;
  *"--format"*) echo "projects/000000000000/locations/global/workloadIdentityPools/github" ;;
esac`,
  );
  sh(
    "az",
    `${record}
case "$1 \${2:-}" in
  "ad app") echo "00000000-0000-4000-8000-0000000000a1" ;;
  "ad sp") case "$*" in *show*|*list*) echo "00000000-0000-4000-8000-0000000000b2" ;; esac ;;
  "aks show") echo "/subscriptions/lab/resourceGroups/lab/providers/Microsoft.ContainerService/managedClusters/lab" ;;
  "acr show") echo "/subscriptions/lab/resourceGroups/lab/providers/Microsoft.ContainerRegistry/registries/lab" ;;
esac`,
  );
  // gh: "secret set NAME --env ENV" keeps the value it reads, as GitHub stores the secret.
  sh(
    "gh",
    `${record}
if [ "\${1:-}" = secret ] && [ "\${2:-}" = set ] && [ "\${4:-}" = --env ]; then
  mkdir -p ${JSON.stringify(join(bin, "secrets"))}
  cat > ${JSON.stringify(join(bin, "secrets"))}/"$3.$5"
  exit 0
fi
case "$*" in *"--jq"*) echo "123456" ;; esac`,
  );
  // What Argo CD's install manifest creates for its notifications controller besides the CRDs: the
  // ConfigMap and Secret it reads, both empty (install.yaml has them without data).
  const notifications = join(bin, "argocd-notifications.yaml");
  writeFileSync(
    notifications,
    [
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-notifications-cm\n  labels:\n    app.kubernetes.io/part-of: argocd\n",
      "apiVersion: v1\nkind: Secret\ntype: Opaque\nmetadata:\n  name: argocd-notifications-secret\n  labels:\n    app.kubernetes.io/part-of: argocd\n",
    ].join("---\n"),
  );
  // kubectl: the released install manifests are fetched from the internet; the lab applies the same
  // release's CRDs and aggregated roles from the Go module, and runs the controller itself.
  sh(
    "kubectl",
    `# The controllers' namespaces are made once per cluster: a later combination finds them.
if [ "\${1:-}" = create ] && [ "\${2:-}" = namespace ] && [ $# -eq 3 ]; then
  case "$3" in argocd|argo-rollouts|flagger-system)
    ${JSON.stringify(join(LAB_BIN, "kubectl"))} get namespace "$3" >/dev/null 2>&1 && exit 0 ;;
  esac
fi
args=()
for a in "$@"; do
  case "$a" in
    https://github.com/argoproj/argo-rollouts/*/install.yaml) args+=(${JSON.stringify(join(LAB_DIR, "crds", "argo-rollouts"))}) ;;
    https://raw.githubusercontent.com/argoproj/argo-cd/*/install.yaml) args+=(${JSON.stringify(join(LAB_DIR, "crds", "argo-cd"))} -f ${JSON.stringify(notifications)}) ;;
    *) args+=("$a") ;;
  esac
done
exec ${JSON.stringify(join(LAB_BIN, "kubectl"))} "\${args[@]}"`,
  );
  // helm: "helm repo add" of the Flagger chart and its install become the CRD Flagger ships; every
  // other helm command is the real helm, with the lab's extra arguments (identity, lab timings).
  sh(
    "helm",
    `case "$*" in
  "repo add"*|"repo update"*) exit 0 ;;
  *"upgrade --install flagger "*)
    ns=flagger-system
    ${JSON.stringify(join(LAB_BIN, "kubectl"))} create namespace "$ns" --dry-run=client -o yaml | ${JSON.stringify(join(LAB_BIN, "kubectl"))} apply -f - >/dev/null
    exec ${JSON.stringify(join(LAB_BIN, "kubectl"))} apply --server-side -f ${JSON.stringify(join(LAB_DIR, "crds", "flagger"))} ;;
esac
extra=()
if [ -n "\${LAB_HELM_EXTRA:-}" ]; then
  case "\${1:-}" in upgrade|install|test|uninstall|rollback|status|get|history|template) read -r -a extra <<< "$LAB_HELM_EXTRA" ;; esac
fi
exec ${JSON.stringify(HELM)} "$@" "\${extra[@]}"`,
  );
  return bin;
}

/**
 * The Kubernetes rights of the providers' documented roles, as RBAC rules.
 *
 * - EKS access policy AmazonEKSEditPolicy: the table of rules in the Amazon EKS User Guide,
 *   "Review access policy permissions" (docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html):
 *   the built-in API groups of the Kubernetes "edit" role; no custom resources.
 * - AKS built-in role "Azure Kubernetes Service RBAC Writer": the data actions listed in
 *   "Azure built-in roles for Containers" (learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers):
 *   read/write of most objects in a namespace, no roles or role bindings, no custom resources.
 * - GKE: the docs bind Kubernetes' own "edit" ClusterRole, which the lab has for real (with every
 *   role aggregated into it).
 */
const builtInWrite = [
  {
    apiGroups: [""],
    resources: [
      "pods",
      "pods/attach",
      "pods/exec",
      "pods/portforward",
      "pods/proxy",
      "pods/eviction",
      "configmaps",
      "endpoints",
      "persistentvolumeclaims",
      "replicationcontrollers",
      "replicationcontrollers/scale",
      "secrets",
      "serviceaccounts",
      "services",
      "services/proxy",
    ],
    verbs: ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"],
  },
  {
    apiGroups: [""],
    resources: ["events", "namespaces", "limitranges", "resourcequotas", "pods/log", "pods/status", "bindings"],
    verbs: ["get", "list", "watch"],
  },
  {
    apiGroups: ["apps"],
    resources: [
      "daemonsets",
      "deployments",
      "deployments/rollback",
      "deployments/scale",
      "replicasets",
      "replicasets/scale",
      "statefulsets",
      "statefulsets/scale",
      "controllerrevisions",
    ],
    verbs: ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"],
  },
  {
    apiGroups: ["autoscaling"],
    resources: ["horizontalpodautoscalers"],
    verbs: ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"],
  },
  { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"] },
  {
    apiGroups: ["extensions", "networking.k8s.io"],
    resources: ["ingresses", "networkpolicies"],
    verbs: ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"],
  },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"] },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
];

export const PROVIDER_ROLES: Record<string, { name: string; source: string; rules: typeof builtInWrite }> = {
  AmazonEKSEditPolicy: { name: "lab:eks:AmazonEKSEditPolicy", source: "Amazon EKS User Guide, Review access policy permissions", rules: builtInWrite },
  "Azure Kubernetes Service RBAC Writer": { name: "lab:aks:rbac-writer", source: "Azure built-in roles for Containers", rules: builtInWrite },
};

export function providerRolesYaml(): string {
  return Object.values(PROVIDER_ROLES)
    .map((r) =>
      JSON.stringify({
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: r.name, annotations: { "lab/source": r.source } },
        rules: r.rules,
      }),
    )
    .join("\n---\n");
}
