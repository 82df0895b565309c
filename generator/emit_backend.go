package generator

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
	"github.com/cardinalhq/lakerunner-iam/schema"
)

// BackendFiles emits out/<env>/backend.tf, the S3 backend of each
// environment with a backend block.
func BackendFiles(m *Model, specName string) []File {
	var files []File
	for _, e := range m.Environments {
		if e.Spec.Backend != nil {
			files = append(files, emitSet(e.Spec.Name, specName, map[string]*hclwrite.File{"backend.tf": backendFile(e.Spec.Backend)})...)
		}
	}
	return files
}

func backendFile(b *schema.Backend) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	endpoints := `s3="http://localhost:4566"`
	if b.DynamoDBTable != "" {
		endpoints += `,dynamodb="http://localhost:4566"`
	}
	// A backend block cannot use variables, so var.aws_endpoint does not
	// reach it: an emulator's endpoint is given at init instead.
	f.Body().AppendUnstructuredTokens(commentTokens(
		"The environment's Terraform state, shared by everyone who applies it. To keep",
		"it in a LocalStack-compatible emulator instead, name the endpoint at init:",
		"  terraform init -backend-config='endpoints={"+endpoints+"}' \\",
		"    -backend-config=use_path_style=true -backend-config=skip_credentials_validation=true \\",
		"    -backend-config=skip_requesting_account_id=true",
	))
	s3 := f.Body().AppendNewBlock("terraform", nil).Body().AppendNewBlock("backend", []string{"s3"}).Body()
	s3.SetAttributeRaw("bucket", hclfmt.Value(cty.StringVal(b.Bucket)))
	s3.SetAttributeRaw("key", hclfmt.Value(cty.StringVal(b.Key)))
	s3.SetAttributeRaw("region", hclfmt.Value(cty.StringVal(b.Region)))
	s3.SetAttributeRaw("encrypt", hclfmt.Value(cty.BoolVal(*b.Encrypt)))
	if *b.UseLockfile {
		s3.SetAttributeRaw("use_lockfile", hclfmt.Value(cty.True))
	}
	if b.DynamoDBTable != "" {
		s3.SetAttributeRaw("dynamodb_table", hclfmt.Value(cty.StringVal(b.DynamoDBTable)))
	}
	return f
}

// commentTokens are lines of a # comment.
func commentTokens(lines ...string) hclwrite.Tokens {
	toks := make(hclwrite.Tokens, len(lines))
	for i, l := range lines {
		toks[i] = &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte(strings.TrimRight("# "+l, " ") + "\n")}
	}
	return toks
}
