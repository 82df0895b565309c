package generator

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// expr parses one HCL expression into tokens. The generator writes
// references and operators this way, never by concatenating file text; a
// malformed expression is a bug in the generator, so it panics.
func expr(src string) hclwrite.Tokens {
	toks, err := parseExpr([]byte(src))
	if err != nil {
		panic(fmt.Sprintf("generator: bad expression %q: %s", src, err))
	}
	return toks
}

func parseExpr(src []byte) (hclwrite.Tokens, error) {
	// Parse as an attribute so hclwrite keeps every token; a lone
	// expression has no file form.
	f, diags := hclwrite.ParseConfig(append(append([]byte("x = "), src...), '\n'), "expr", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	attr := f.Body().GetAttribute("x")
	if attr == nil {
		return nil, fmt.Errorf("not an expression")
	}
	return attr.Expr().BuildTokens(nil), nil
}

// sourceExpr copies a template attribute's expression verbatim, so the
// module computes what the template says with Terraform's own evaluator.
func sourceExpr(attr *hcl.Attribute, sources map[string][]byte) hclwrite.Tokens {
	rng := attr.Expr.Range()
	src, ok := sources[rng.Filename]
	if !ok {
		panic(fmt.Sprintf("generator: no source for %s", rng.Filename))
	}
	toks, err := parseExpr(src[rng.Start.Byte:rng.End.Byte])
	if err != nil {
		panic(fmt.Sprintf("generator: cannot copy expression at %s: %s", rng, err))
	}
	return toks
}

// joinTokens concatenates token lists, e.g. a condition and its branches.
func joinTokens(parts ...hclwrite.Tokens) hclwrite.Tokens {
	var out hclwrite.Tokens
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// onlyIf is the for_each of a dynamic block that exists when cond holds.
func onlyIf(cond hclwrite.Tokens) hclwrite.Tokens {
	return joinTokens(cond, expr("true ? [1] : []")[1:])
}

// usedVars lists the module variables that generated tokens refer to, so a
// module declares exactly the variables it uses.
func usedVars(toks hclwrite.Tokens) map[string]bool {
	used := map[string]bool{}
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].Type == hclsyntax.TokenIdent && string(toks[i].Bytes) == "var" &&
			toks[i+1].Type == hclsyntax.TokenDot && toks[i+2].Type == hclsyntax.TokenIdent {
			used[string(toks[i+2].Bytes)] = true
		}
	}
	return used
}
