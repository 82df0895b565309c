package schema

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
)

func validate(spec *Spec) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if t := spec.Terraform; t.Body != nil {
		for _, c := range []struct{ attr, value string }{
			{"required_version", t.RequiredVersion},
			{"aws_provider_version", t.AWSProviderVersion},
		} {
			if _, err := goversion.NewConstraint(c.value); err != nil {
				diags = append(diags, errorAt(t.Pos().Attr(c.attr), "Invalid version constraint",
					fmt.Sprintf("%s is not a Terraform version constraint such as \">= 1.5.0\" or \"~> 5.0\": %s.", Quote(c.value), err)))
			}
		}
	}
	if d := validateCatalog(spec); d.HasErrors() { // validate_tiers.go
		return append(diags, d...)
	}
	seen := map[string]*Environment{}
	for _, env := range spec.Environments {
		if prev, dup := seen[env.Name]; dup {
			diags = append(diags, errorAt(env.DefRange, "Duplicate environment",
				fmt.Sprintf("Environment %s is already defined at %s. Each environment becomes out/<name>/: give each a unique name.", Quote(env.Name), prev.DefRange)))
			continue
		}
		seen[env.Name] = env
		diags = append(diags, validateEnvironment(env)...)
	}
	if !diags.HasErrors() {
		diags = append(diags, validateAcrossEnvironments(spec.Environments)...)
	}
	return diags
}

// SortDiagnostics orders diagnostics by file, line and column (those
// without a position first), keeping the order of diagnostics at one
// place, so that output does not depend on map iteration.
func SortDiagnostics(diags hcl.Diagnostics) {
	slices.SortStableFunc(diags, func(a, b *hcl.Diagnostic) int {
		switch {
		case a.Subject == nil && b.Subject == nil:
			return 0
		case a.Subject == nil:
			return -1
		case b.Subject == nil:
			return 1
		}
		return cmp.Or(
			cmp.Compare(a.Subject.Filename, b.Subject.Filename),
			cmp.Compare(a.Subject.Start.Line, b.Subject.Start.Line),
			cmp.Compare(a.Subject.Start.Column, b.Subject.Start.Column),
		)
	})
}

// maxQuoted is how much of a value a message quotes.
const maxQuoted = 120

// Quote quotes a spec value for a message, eliding the middle of a long
// one: a message must stay readable whatever the value.
func Quote(s string) string {
	if n := utf8.RuneCountInString(s); n > maxQuoted {
		r := []rune(s)
		return fmt.Sprintf("%q…%q (%d characters)", string(r[:maxQuoted*2/3]), string(r[n-maxQuoted/6:]), n)
	}
	return fmt.Sprintf("%q", s)
}

// validateTags applies IAM's tag limits: at most 50, keys up to 128 and
// values up to 256 characters of letters, digits, spaces and _.:/=+-@, no
// "aws:" prefix, no two keys equal but for case (IAM's keys are
// case-insensitive). Each problem points at its key or value in the map.
func validateTags(pos Pos, attr string, tags map[string]string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if len(tags) > iamlimits.TagsMax {
		diags = append(diags, errorAt(pos.Attr(attr), "Too many tags", fmt.Sprintf("%d tags given; IAM allows at most %d per role.", len(tags), iamlimits.TagsMax)))
	}
	folded := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		v := tags[k]
		keyRng, valRng := mapItemRanges(pos, attr, k)
		if err := iamlimits.TagKey(k); err != nil {
			summary := "Invalid tag key"
			if strings.HasPrefix(strings.ToLower(k), "aws:") {
				summary = "Reserved tag key"
			}
			diags = append(diags, errorAt(keyRng, summary, sentence(err)))
		} else if err := iamlimits.TagValue(k, v); err != nil {
			summary := "Invalid tag value"
			if utf8.RuneCountInString(v) > iamlimits.TagValueMax {
				summary = "Tag value too long"
			}
			diags = append(diags, errorAt(valRng, summary, sentence(err)))
		}
		if prev, dup := folded[strings.ToLower(k)]; dup {
			diags = append(diags, errorAt(keyRng, "Duplicate tag key",
				fmt.Sprintf("Tag keys %s and %s differ only in case; IAM treats tag keys case-insensitively and refuses the role. Keep one of them.", Quote(prev), Quote(k))))
		}
		folded[strings.ToLower(k)] = k
	}
	return diags
}

// sentence makes an error from iamlimits a sentence of a detail.
func sentence(err error) string {
	s := err.Error()
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func errorAt(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}
}

// elemRange is the range of element i of a list attribute that has n
// elements, so a diagnostic can point at the one bad value; the whole
// attribute when the list is not written out element by element.
func elemRange(pos Pos, attr string, i, n int) hcl.Range {
	a := pos.attribute(attr)
	if a == nil {
		return pos.DefRange
	}
	elems, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() || len(elems) != n || i >= n {
		return a.Expr.Range()
	}
	return elems[i].Range()
}

// mapItemRanges are the ranges of the key and the value of one item of a
// map attribute; the whole attribute when the item cannot be found.
func mapItemRanges(pos Pos, attr, key string) (keyRng, valRng hcl.Range) {
	a := pos.attribute(attr)
	if a == nil {
		return pos.DefRange, pos.DefRange
	}
	pairs, diags := hcl.ExprMap(a.Expr)
	if diags.HasErrors() {
		return a.Expr.Range(), a.Expr.Range()
	}
	for _, p := range pairs {
		k, diags := p.Key.Value(nil)
		if diags.HasErrors() || !k.IsKnown() || k.IsNull() {
			continue
		}
		if k, err := convert.Convert(k, cty.String); err == nil && k.AsString() == key {
			return p.Key.Range(), p.Value.Range()
		}
	}
	return a.Expr.Range(), a.Expr.Range()
}

// writtenAsNumber reports whether an expression is a number literal.
func writtenAsNumber(expr hcl.Expression) bool {
	v, diags := expr.Value(nil)
	return !diags.HasErrors() && v.Type() == cty.Number
}
