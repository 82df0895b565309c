package generator

import (
	"fmt"
	"path"
	"slices"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"sigs.k8s.io/yaml"

	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/schema"
)

// What an EKS cluster needs besides the roles: with IRSA, the role ARN on
// each ServiceAccount (Helm values for the chart's shared ServiceAccount,
// manifests for per-role ones); with Pod Identity, an association per
// ServiceAccount in the root module.

// irsaAnnotation is the ServiceAccount annotation the EKS pod identity
// webhook reads for IRSA.
const irsaAnnotation = "eks.amazonaws.com/role-arn"

// HelmDir and KubernetesDir are where an environment's cluster files go.
func HelmDir(env string) string       { return path.Join(env, "helm") }
func KubernetesDir(env string) string { return path.Join(env, "kubernetes") }

// workloadRoles are the roles of an EKS environment that pods assume, with
// their ServiceAccounts.
func workloadRoles(e *Environment) []*Role {
	var out []*Role
	for _, r := range e.Roles {
		if len(r.ServiceAccounts) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// rootEndpointServices adds EKS (Pod Identity associations) to the
// endpoints of an EKS environment only, so ECS roots stay as they were.
func rootEndpointServices(env *schema.Environment) []string {
	if env.EKS == nil {
		return endpointServices
	}
	return slices.Sorted(slices.Values(append(slices.Clone(endpointServices), "eks")))
}

// writePodIdentityAssociations binds each ServiceAccount of a Pod
// Identity environment to its role.
func writePodIdentityAssociations(body *hclfmt.Body, e *Environment) {
	k := e.Spec.EKS
	if k == nil || k.Identity != schema.IdentityPodIdentity {
		return
	}
	body.Newline()
	body.Block("resource", "aws_eks_pod_identity_association", "this")
	body.Attr("for_each", serviceAccountARNs(e))
	body.Newline()
	body.Attr("cluster_name", hclfmt.String(k.ClusterName))
	body.Attr("namespace", hclfmt.String(k.Namespace))
	body.Attr("service_account", expr("each.key"))
	body.Attr("role_arn", expr("each.value"))
	body.Attr("tags", hclfmt.Value(stringMap(map[string]string{"Environment": e.Spec.Name})))
	body.End()
}

// serviceAccountARNs is { "<serviceaccount>" = module.<kind>.arn, ... }.
func serviceAccountARNs(e *Environment) hclwrite.Tokens {
	var attrs []hclwrite.ObjectAttrTokens
	for _, r := range workloadRoles(e) {
		for _, sa := range r.ServiceAccounts {
			attrs = append(attrs, hclwrite.ObjectAttrTokens{
				Name:  hclfmt.String(sa),
				Value: moduleRef(r.ModuleName(), "arn"),
			})
		}
	}
	return hclfmt.Object(attrs)
}

// eksOutputs are an EKS root's outputs: each ServiceAccount's role, and
// each service's ServiceAccount and role.
func eksOutputs(e *Environment, output func(name, desc string, value hclwrite.Tokens)) {
	k := e.Spec.EKS
	output("service_account_role_arns", fmt.Sprintf("For each Kubernetes ServiceAccount of namespace %s, the ARN of the IAM role its pods assume.", k.Namespace), serviceAccountARNs(e))
	var services []hclwrite.ObjectAttrTokens
	for _, s := range e.Services {
		services = append(services, hclwrite.ObjectAttrTokens{
			Name: hclfmt.String(s.Name),
			Value: hclfmt.Object([]hclwrite.ObjectAttrTokens{
				{Name: hclfmt.Ident("service_account"), Value: hclfmt.String(s.TaskRole.ServiceAccounts[0])},
				{Name: hclfmt.Ident("role_arn"), Value: moduleRef(s.TaskRole.ModuleName(), "arn")},
			}),
		})
	}
	output("service_roles", "For each deployed Lakerunner service, the ServiceAccount its pods run under and the ARN of the role they assume.", hclfmt.Object(services))
}

// EKSFiles emits the cluster side of every EKS environment: in the shared
// layout, <env>/helm/values.yaml for the Lakerunner chart's
// ServiceAccount; in the per-role layout, a ServiceAccount manifest per
// role under <env>/kubernetes/ and the kustomization that applies them.
// Role ARNs are known at gen time, so nothing waits for terraform apply.
func EKSFiles(m *Model, specName string) []File {
	var files []File
	for _, e := range m.Environments {
		k := e.Spec.EKS
		if k == nil {
			continue
		}
		roles := workloadRoles(e)
		if k.RoleLayout == schema.LayoutShared {
			if len(roles) > 0 {
				files = append(files, File{Path: path.Join(HelmDir(e.Spec.Name), "values.yaml"), Content: outtree.WithHeader(specName, helmValues(e, roles[0]))})
			}
			continue
		}
		var names []string
		for _, r := range roles {
			for _, sa := range r.ServiceAccounts {
				name := sa + ".yaml"
				names = append(names, name)
				files = append(files, File{Path: path.Join(KubernetesDir(e.Spec.Name), name), Content: outtree.WithHeader(specName, serviceAccountManifest(e, r, sa))})
			}
		}
		files = append(files, File{Path: path.Join(KubernetesDir(e.Spec.Name), "kustomization.yaml"), Content: outtree.WithHeader(specName, mustYAML(map[string]any{
			"apiVersion": "kustomize.config.k8s.io/v1beta1",
			"kind":       "Kustomization",
			"namespace":  k.Namespace,
			"resources":  names,
		}))})
	}
	return files
}

// annotations are a workload role's ServiceAccount annotations: the role
// ARN with IRSA, none with Pod Identity (the association binds it).
func annotations(e *Environment, r *Role) map[string]string {
	if e.Spec.EKS.Identity != schema.IdentityIRSA {
		return nil
	}
	return map[string]string{irsaAnnotation: r.ARN()}
}

// helmValues sets the Lakerunner chart's serviceAccount values:
// `helm install -f values.yaml`.
func helmValues(e *Environment, r *Role) []byte {
	sa := map[string]any{"create": true, "name": r.ServiceAccounts[0]}
	if a := annotations(e, r); a != nil {
		sa["annotations"] = a
	}
	return append([]byte(fmt.Sprintf("# The Lakerunner chart's ServiceAccount (namespace %s) and the IAM role %s its pods assume.\n", e.Spec.EKS.Namespace, r.Name)),
		mustYAML(map[string]any{"serviceAccount": sa})...)
}

func serviceAccountManifest(e *Environment, r *Role, sa string) []byte {
	meta := map[string]any{
		"name":      sa,
		"namespace": e.Spec.EKS.Namespace,
		"labels":    map[string]string{"app.kubernetes.io/managed-by": "lakerunner-iam", "app.kubernetes.io/part-of": "lakerunner"},
	}
	if a := annotations(e, r); a != nil {
		meta["annotations"] = a
	}
	return append([]byte(fmt.Sprintf("# ServiceAccount of the pods that run under IAM role %s (role kind %s).\n", r.Name, r.Kind())),
		mustYAML(map[string]any{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta})...)
}

// mustYAML marshals plain maps and lists, which cannot fail; sigs.k8s.io/yaml
// sorts keys, so the output is stable.
func mustYAML(v any) []byte {
	b, err := yaml.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("generator: yaml: %s", err))
	}
	return b
}
