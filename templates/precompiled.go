package templates

import (
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/cardinalhq/lakerunner-iam/templates/internal/builtinast"
)

// The built-in templates are constant, so they are not parsed at run time:
// internal/builtinast builds the body hclsyntax.ParseConfig would return for
// each (a third of gen's time for the example spec was parsing them), and
// TestPrecompiledBodies proves the two equal. Run `go generate
// ./templates` (or make gen) after editing a built-in template; until
// then its stale body is ignored and the file is parsed.
//go:generate go run ./internal/astgen

// precompiled is the file of a built-in template built without parsing,
// or nil.
func precompiled(filename string, src []byte) *hcl.File {
	body := builtinast.Body(filename, src)
	if body == nil {
		return nil
	}
	return &hcl.File{Body: body, Bytes: src, Nav: &lazyNav{filename: filename, src: src}}
}

// lazyNav is the Nav of a precompiled file: hclsyntax's navigation, which
// diagnostics ask for the block they are in ("in role ..."), cannot be
// built outside hclsyntax, so the first question parses the source.
type lazyNav struct {
	filename string
	src      []byte
	once     sync.Once
	nav      interface {
		ContextString(offset int) string
		ContextDefRange(offset int) hcl.Range
	}
}

func (n *lazyNav) parsed() bool {
	n.once.Do(func() {
		f, diags := hclsyntax.ParseConfig(n.src, n.filename, hcl.InitialPos)
		if !diags.HasErrors() {
			n.nav, _ = f.Nav.(interface {
				ContextString(offset int) string
				ContextDefRange(offset int) hcl.Range
			})
		}
	})
	return n.nav != nil
}

// ContextString is the header of the block at offset, as hclsyntax's.
func (n *lazyNav) ContextString(offset int) string {
	if !n.parsed() {
		return ""
	}
	return n.nav.ContextString(offset)
}

// ContextDefRange is the definition range of the block at offset, as
// hclsyntax's. Our diagnostics ask only for ContextString; this keeps a
// precompiled file's Nav answering everything a parsed file's does, for
// hcl's own tools that take the parser's files.
func (n *lazyNav) ContextDefRange(offset int) hcl.Range {
	if !n.parsed() {
		return hcl.Range{}
	}
	return n.nav.ContextDefRange(offset)
}
