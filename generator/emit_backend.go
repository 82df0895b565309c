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
			files = append(files, emitSet(e.Spec.Name, specName, map[string]*hclfmt.Body{"backend.tf": backendFile(e.Spec.Backend)})...)
		}
	}
	return files
}

func backendFile(b *schema.Backend) *hclfmt.Body {
	f := new(hclfmt.Body)
	endpoints := `s3="http://localhost:4566"`
	if b.DynamoDBTable != "" {
		endpoints += `,dynamodb="http://localhost:4566"`
	}
	// A backend block cannot use variables, so var.aws_endpoint does not
	// reach it: an emulator's endpoint is given at init instead.
	f.Append(commentTokens(
		"The environment's Terraform state, shared by everyone who applies it. To keep",
		"it in a LocalStack-compatible emulator instead, name the endpoint at init:",
		"  terraform init -backend-config='endpoints={"+endpoints+"}' \\",
		"    -backend-config=use_path_style=true -backend-config=skip_credentials_validation=true \\",
		"    -backend-config=skip_requesting_account_id=true",
	))
	f.Block("terraform")
	f.Block("backend", "s3")
	f.Attr("bucket", hclfmt.String(b.Bucket))
	f.Attr("key", hclfmt.String(b.Key))
	f.Attr("region", hclfmt.String(b.Region))
	f.Attr("encrypt", hclfmt.Value(cty.BoolVal(*b.Encrypt)))
	if *b.UseLockfile {
		f.Attr("use_lockfile", hclfmt.Value(cty.True))
	}
	if b.DynamoDBTable != "" {
		f.Attr("dynamodb_table", hclfmt.String(b.DynamoDBTable))
	}
	f.End()
	f.End()
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
