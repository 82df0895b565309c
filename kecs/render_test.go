package kecs_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"
	"github.com/cardinalhq/lakerunner-iam/internal/testutil/testspec"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	pathvalidation "k8s.io/apimachinery/pkg/api/validation/path"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/kecs"
	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

const exampleSpec = "../examples/local-kecs.hcl"

// specs are the test specs and the example, by golden directory name.
func specs(t *testing.T) map[string]string {
	t.Helper()
	paths, err := filepath.Glob("testdata/specs/*.hcl")
	if err != nil || len(paths) < 2 {
		t.Fatalf("test specs: %v, %d found", err, len(paths))
	}
	out := map[string]string{"example-local-kecs": exampleSpec}
	for _, p := range paths {
		out[strings.TrimSuffix(filepath.Base(p), ".hcl")] = p
	}
	return out
}

// specName is how headers name a spec: from the repository root.
func specName(spec string) string { return path.Clean(path.Join("kecs", filepath.ToSlash(spec))) }

func TestGolden(t *testing.T) {
	for name, spec := range specs(t) {
		t.Run(name, func(t *testing.T) {
			files := kecs.Render(testspec.Load(t, spec), specName(spec))
			dir := filepath.Join("testdata", "golden", name)
			if *testutil.Update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				for _, f := range files {
					p := filepath.Join(dir, filepath.FromSlash(f.Path))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, f.Content, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			want := map[string][]byte{}
			err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(dir, p)
				want[filepath.ToSlash(rel)], err = os.ReadFile(p)
				return err
			})
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			for _, f := range files {
				w, ok := want[f.Path]
				switch {
				case !ok:
					t.Errorf("%s: not in %s", f.Path, dir)
				case !bytes.Equal(w, f.Content):
					t.Errorf("%s differs from %s:\n%s", f.Path, dir, f.Content)
				}
				delete(want, f.Path)
			}
			for p := range want {
				t.Errorf("%s: in %s but not rendered", p, dir)
			}
			if t.Failed() {
				t.Log("run `go test ./kecs -update` to accept the new output")
			}
		})
	}
}

// manifest is one role's file, strictly decoded.
type manifest struct {
	sa      corev1.ServiceAccount
	role    rbacv1.Role
	binding rbacv1.RoleBinding
}

var docSep = regexp.MustCompile(`(?m)^---\n`)

// decode decodes a role manifest into the Kubernetes API types, rejecting
// unknown and duplicate fields.
func decode(t *testing.T, name string, content []byte) manifest {
	t.Helper()
	docs := docSep.Split(string(content), -1)
	if len(docs) != 3 {
		t.Fatalf("%s: %d YAML documents, want 3", name, len(docs))
	}
	var m manifest
	for i, obj := range []any{&m.sa, &m.role, &m.binding} {
		if err := yaml.UnmarshalStrict([]byte(docs[i]), obj); err != nil {
			t.Fatalf("%s, document %d: %v", name, i+1, err)
		}
	}
	return m
}

// TestManifests checks every generated manifest of every spec: strict
// decoding into the Kubernetes API types, valid names, and the names,
// labels, annotations and rules the KECS guide asks for.
func TestManifests(t *testing.T) {
	for name, spec := range specs(t) {
		t.Run(name, func(t *testing.T) {
			m := testspec.Load(t, spec)
			byPath := map[string][]byte{}
			for _, f := range kecs.Render(m, specName(spec)) {
				byPath[f.Path] = f.Content
			}
			for _, e := range m.Environments {
				if e.Spec.KECS == nil {
					for p := range byPath {
						if strings.HasPrefix(p, e.Spec.Name+"/") {
							t.Errorf("%s: rendered for environment %q, which has no kecs block", p, e.Spec.Name)
						}
					}
					continue
				}
				checkEnvironment(t, e, byPath)
			}
		})
	}
}

func checkEnvironment(t *testing.T, e *generator.Environment, byPath map[string][]byte) {
	ns := e.Spec.KECS.Namespace
	dir := kecs.Dir(e.Spec.Name)
	roles := kecs.Roles(e)
	if len(roles) == 0 {
		t.Fatalf("environment %q: no role that ECS tasks assume", e.Spec.Name)
	}
	var names []string
	for _, r := range e.Roles {
		file := path.Join(dir, r.Name+".yaml")
		content, ok := byPath[file]
		if r.Template.Trust.Service != "ecs-tasks.amazonaws.com" {
			if ok {
				t.Errorf("%s: rendered for %s, which ECS tasks do not assume", file, r.Kind())
			}
			continue
		}
		if !ok {
			t.Errorf("%s: missing for %s", file, r.Kind())
			continue
		}
		names = append(names, r.Name+".yaml")
		got := decode(t, file, content)
		sa := e.Spec.KECS.RolePrefix + strings.TrimPrefix(r.Name, e.Spec.KECS.RolePrefix) + "-sa"
		if !strings.HasPrefix(r.Name, e.Spec.KECS.RolePrefix) {
			t.Errorf("%s: role name %q lacks prefix %q", file, r.Name, e.Spec.KECS.RolePrefix)
		}
		if errs := validation.IsDNS1123Subdomain(sa); len(errs) > 0 {
			t.Errorf("%s: ServiceAccount name %q: %v", file, sa, errs)
		}
		if errs := pathvalidation.IsValidPathSegmentName(sa); len(errs) > 0 {
			t.Errorf("%s: Role name %q: %v", file, sa, errs)
		}
		labels := map[string]string{"app.kubernetes.io/managed-by": "kecs"}
		checkMeta := func(kind, apiVersion string, gotKind, gotAPI, gotName, gotNS string, gotLabels map[string]string) {
			if gotKind != kind || gotAPI != apiVersion {
				t.Errorf("%s: %s/%s, want %s/%s", file, gotAPI, gotKind, apiVersion, kind)
			}
			if gotName != sa || gotNS != ns {
				t.Errorf("%s: %s %s/%s, want %s/%s", file, kind, gotNS, gotName, ns, sa)
			}
			if !reflect.DeepEqual(gotLabels, labels) {
				t.Errorf("%s: %s labels %v, want %v", file, kind, gotLabels, labels)
			}
		}
		checkMeta("ServiceAccount", "v1", got.sa.Kind, got.sa.APIVersion, got.sa.Name, got.sa.Namespace, got.sa.Labels)
		checkMeta("Role", "rbac.authorization.k8s.io/v1", got.role.Kind, got.role.APIVersion, got.role.Name, got.role.Namespace, got.role.Labels)
		checkMeta("RoleBinding", "rbac.authorization.k8s.io/v1", got.binding.Kind, got.binding.APIVersion, got.binding.Name, got.binding.Namespace, got.binding.Labels)

		wantAnn := map[string]string{"kecs.io/iam-role-arn": r.ARN(), "kecs.io/iam-role-name": r.Name}
		if !reflect.DeepEqual(got.sa.Annotations, wantAnn) {
			t.Errorf("%s: annotations %v, want %v", file, got.sa.Annotations, wantAnn)
		}

		a := kecs.Analyze(r)
		var wantRules []rbacv1.PolicyRule
		for _, rule := range a.Rules {
			wantRules = append(wantRules, rbacv1.PolicyRule{APIGroups: rule.APIGroups, Resources: rule.Resources, Verbs: rule.Verbs})
		}
		if !reflect.DeepEqual(got.role.Rules, wantRules) {
			t.Errorf("%s: rules %+v, want %+v", file, got.role.Rules, wantRules)
		}
		for _, rule := range got.role.Rules {
			if len(rule.APIGroups) == 0 || len(rule.Resources) == 0 || len(rule.Verbs) == 0 {
				t.Errorf("%s: incomplete rule %+v", file, rule)
			}
		}
		// Unmapped actions are in the manifest and in the report.
		for _, f := range a.Unmapped {
			if !bytes.Contains(content, []byte("#   "+f.Action+"\n")) {
				t.Errorf("%s: unmapped %s not listed in a comment", file, f.Action)
			}
			if !bytes.Contains(byPath[path.Join(dir, kecs.ReportName)], []byte("| `"+f.Action+"` |")) {
				t.Errorf("%s: unmapped %s of %s not reported", kecs.ReportName, f.Action, r.Name)
			}
		}

		wantSubjects := []rbacv1.Subject{{Kind: "ServiceAccount", Name: sa, Namespace: ns}}
		if !reflect.DeepEqual(got.binding.Subjects, wantSubjects) {
			t.Errorf("%s: subjects %+v, want %+v", file, got.binding.Subjects, wantSubjects)
		}
		wantRef := rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: sa}
		if got.binding.RoleRef != wantRef {
			t.Errorf("%s: roleRef %+v, want %+v", file, got.binding.RoleRef, wantRef)
		}
	}

	// The kustomization lists every manifest, in catalog order.
	var k struct {
		APIVersion string   `json:"apiVersion"`
		Kind       string   `json:"kind"`
		Resources  []string `json:"resources"`
	}
	if err := yaml.UnmarshalStrict(byPath[path.Join(dir, "kustomization.yaml")], &k); err != nil {
		t.Fatalf("kustomization.yaml: %v", err)
	}
	if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" || !reflect.DeepEqual(k.Resources, names) {
		t.Errorf("kustomization = %+v, want resources %v", k, names)
	}
	if want := len(names) + 2; countUnder(byPath, dir) != want {
		t.Errorf("%s: %d files, want %d (manifests, kustomization.yaml, %s)", dir, countUnder(byPath, dir), want, kecs.ReportName)
	}
	for p, content := range byPath {
		if strings.HasPrefix(p, dir+"/") && outtree.Owner(content) != outtree.Pristine {
			t.Errorf("%s: no valid generated-file header", p)
		}
	}
}

func countUnder(files map[string][]byte, dir string) int {
	n := 0
	for p := range files {
		if strings.HasPrefix(p, dir+"/") {
			n++
		}
	}
	return n
}

// TestKustomize builds each kustomization with kubectl, as
// `kubectl apply -k` would before sending the objects.
func TestKustomize(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not installed")
	}
	for name, spec := range specs(t) {
		t.Run(name, func(t *testing.T) {
			m := testspec.Load(t, spec)
			out := t.TempDir()
			for _, f := range kecs.Render(m, specName(spec)) {
				p := filepath.Join(out, filepath.FromSlash(f.Path))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, e := range m.Environments {
				if e.Spec.KECS == nil {
					continue
				}
				cmd := exec.Command(kubectl, "kustomize", filepath.Join(out, filepath.FromSlash(kecs.Dir(e.Spec.Name))))
				cmd.Env = append(os.Environ(), "KUBECONFIG="+filepath.Join(out, "no-kubeconfig"))
				built, err := cmd.Output()
				if err != nil {
					t.Fatalf("kubectl kustomize %s: %v\n%s", e.Spec.Name, err, stderr(err))
				}
				kinds := map[string]int{}
				for _, doc := range docSep.Split(string(built), -1) {
					var obj struct {
						Kind     string `json:"kind"`
						Metadata struct {
							Namespace string `json:"namespace"`
						} `json:"metadata"`
					}
					if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
						t.Fatal(err)
					}
					kinds[obj.Kind]++
					if obj.Metadata.Namespace != e.Spec.KECS.Namespace {
						t.Errorf("%s %s: namespace %q, want %q", e.Spec.Name, obj.Kind, obj.Metadata.Namespace, e.Spec.KECS.Namespace)
					}
				}
				n := len(kecs.Roles(e))
				if want := map[string]int{"ServiceAccount": n, "Role": n, "RoleBinding": n}; !reflect.DeepEqual(kinds, want) {
					t.Errorf("%s: kustomize built %v, want %v", e.Spec.Name, kinds, want)
				}
			}
		})
	}
}

func stderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// writeSpec writes a spec for one test.
func writeSpec(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "spec.hcl")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGuideExampleNaming gives a task role the name of the guide's example
// and expects the guide's names: IAM role kecs-my-task-role in LocalStack,
// ServiceAccount, Role and RoleBinding kecs-my-task-role-sa.
func TestGuideExampleNaming(t *testing.T) {
	spec := writeSpec(t, `
environment "guide" {
  account_id = "123456789012"
  region     = "us-east-1"
  kecs {}
  role "data-task" {
    name = "my-task-role"
  }
}`)
	m := testspec.Load(t, spec)
	var content []byte
	for _, f := range kecs.Render(m, "spec.hcl") {
		if f.Path == "guide/kecs/kecs-my-task-role.yaml" {
			content = f.Content
		}
	}
	if content == nil {
		t.Fatal("no guide/kecs/kecs-my-task-role.yaml")
	}
	got := decode(t, "kecs-my-task-role.yaml", content)
	if got.sa.Name != "kecs-my-task-role-sa" || got.role.Name != "kecs-my-task-role-sa" || got.binding.Name != "kecs-my-task-role-sa" || got.sa.Namespace != "default" {
		t.Errorf("names %s/%s, %s, %s; want default/kecs-my-task-role-sa", got.sa.Namespace, got.sa.Name, got.role.Name, got.binding.Name)
	}
	if n := got.sa.Annotations["kecs.io/iam-role-name"]; n != "kecs-my-task-role" {
		t.Errorf("kecs.io/iam-role-name = %q, want kecs-my-task-role", n)
	}
	if a := got.sa.Annotations["kecs.io/iam-role-arn"]; a != "arn:aws:iam::123456789012:role/kecs-my-task-role" {
		t.Errorf("kecs.io/iam-role-arn = %q", a)
	}
	if _, ok := got.sa.Annotations["kecs.io/task-definition-arn"]; ok {
		t.Error("kecs.io/task-definition-arn is set")
	}
}

// TestTerraformRoot checks the generator's side of a KECS environment:
// role names carry the prefix once, and the provider defaults to
// LocalStack unless the spec names another endpoint.
func TestTerraformRoot(t *testing.T) {
	res, diags := pipeline.Generate("testdata/specs/custom.hcl", pipeline.Options{OutDir: t.TempDir()})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	files := map[string][]byte{}
	for _, f := range res.Files {
		files[f.Path] = f.Content
	}
	tests := []struct {
		env      string
		endpoint string // "" for null
		names    map[string]string
	}{
		{"dev", "http://localhost:4566", map[string]string{
			"ecs-execution":  "kecs-lakerunner-ecs-execution-role",
			"data-task":      "kecs-lakerunner-data-task-role",
			"migration-task": "kecs-lakerunner-migrator", // prefixed already: not twice
		}},
		{"kind", "http://localhost:4566", map[string]string{ // aws_endpoint wins; no prefix
			"data-task":    "lakerunner-data-task-role",
			"ecs-instance": "lakerunner-ecs-instance-role",
		}},
		{"prod", "", map[string]string{"data-task": "lakerunner-data-task-role"}},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			if got := endpointDefault(t, files[tt.env+"/variables.tf"]); got != tt.endpoint {
				t.Errorf("aws_endpoint default = %q, want %q", got, tt.endpoint)
			}
			var env *generator.Environment
			for _, e := range res.Model.Environments {
				if e.Spec.Name == tt.env {
					env = e
				}
			}
			for kind, name := range tt.names {
				r := env.Role(kind)
				if r == nil || r.Name != name {
					t.Errorf("role %s: %+v, want name %q", kind, r, name)
					continue
				}
				if !bytes.Contains(files[tt.env+"/main.tf"], []byte(`"`+name+`"`)) {
					t.Errorf("main.tf does not name role %q", name)
				}
			}
		})
	}
	// The pipeline renders the KECS files along with the Terraform.
	if _, ok := files["dev/kecs/kustomization.yaml"]; !ok {
		t.Error("pipeline.Generate did not render dev/kecs/kustomization.yaml")
	}
}

// endpointDefault evaluates variable "aws_endpoint"'s default.
func endpointDefault(t *testing.T, src []byte) string {
	t.Helper()
	f, diags := hclsyntax.ParseConfig(src, "variables.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		if b.Type == "variable" && b.Labels[0] == "aws_endpoint" {
			v, diags := b.Body.Attributes["default"].Expr.Value(nil)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if v.IsNull() {
				return ""
			}
			return v.AsString()
		}
	}
	t.Fatal("no variable aws_endpoint")
	return ""
}

// TestNoKECSBlock: specs without a kecs block render nothing here.
func TestNoKECSBlock(t *testing.T) {
	if files := kecs.Render(testspec.Load(t, "../examples/lakerunner.hcl"), "examples/lakerunner.hcl"); len(files) != 0 {
		t.Errorf("rendered %d files for a spec without kecs", len(files))
	}
}

// TestRoleNameUnusableInKubernetes: IAM allows role names Kubernetes does
// not; in a KECS environment the spec is refused at the role.
func TestRoleNameUnusableInKubernetes(t *testing.T) {
	for _, tt := range []struct {
		kecs string
		bad  bool
	}{{"kecs {}", true}, {"", false}} {
		spec := writeSpec(t, `
environment "local" {
  account_id  = "000000000000"
  region      = "us-east-1"
  `+tt.kecs+`
  role "query-task" {
    name = "Query_Role"
  }
}`)
		_, _, diags := pipeline.Load(spec)
		var found *hcl.Diagnostic
		for _, d := range diags {
			if d.Summary == "Role name unusable in Kubernetes" {
				found = d
			}
		}
		if (found != nil) != tt.bad {
			t.Fatalf("kecs %q: diagnostics %v", tt.kecs, diags)
		}
		if found != nil && (!strings.Contains(found.Detail, `"kecs-Query_Role-sa"`) || found.Subject == nil || found.Subject.Start.Line != 7) {
			t.Errorf("diagnostic %s at %v", found.Detail, found.Subject)
		}
	}
}

// TestQuotedNamespace: a namespace YAML 1.1 reads as a boolean stays a
// string.
func TestQuotedNamespace(t *testing.T) {
	m := testspec.Load(t, "testdata/specs/custom.hcl")
	for _, f := range kecs.Render(m, "custom.hcl") {
		if f.Path == "kind/kecs/lakerunner-data-task-role.yaml" {
			got := decode(t, f.Path, f.Content)
			if got.sa.Namespace != "no" || got.binding.Subjects[0].Namespace != "no" {
				t.Errorf("namespace %q", got.sa.Namespace)
			}
			return
		}
	}
	t.Fatal("kind/kecs/lakerunner-data-task-role.yaml not rendered")
}

// TestManifestWithoutRules: a role none of whose actions has a mapping
// still gets its Role, with no rules.
func TestManifestWithoutRules(t *testing.T) {
	m := testspec.Load(t, "testdata/specs/defaults.hcl")
	e := m.Environments[0]
	r := e.Role("query-task")
	content := kecs.Manifest(e, r, kecs.Analysis{Unmapped: []kecs.Finding{{Action: "sqs:*", Sources: []string{"test"}}}})
	got := decode(t, "manifest", content)
	if got.role.Rules == nil || len(got.role.Rules) != 0 {
		t.Errorf("rules = %#v, want an empty list", got.role.Rules)
	}
	for _, want := range []string{"#   (none of the role's actions has a mapping)\n", "#   sqs:*\n", "rules: []\n"} {
		if !bytes.Contains(content, []byte(want)) {
			t.Errorf("manifest lacks %q:\n%s", want, content)
		}
	}
}
