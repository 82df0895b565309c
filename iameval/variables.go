package iameval

import "strings"

// substitute replaces the policy variables of a Resource or condition
// value with their values from the request context, as IAM's "Policy
// variables" reference says: ${key} takes the key's value, ${key,
// 'default'} a default when the key is absent, and ${*}, ${?} and ${$}
// stand for those characters. A key that is absent without a default, or
// that has several values (multivalued keys cannot be variables), leaves
// nothing to match: ok is false. A substituted value is matched as
// written, so '*' or '?' in it act as wildcards, as '*' and '?' from
// ${*} and ${?} do.
func substitute(s string, ctx requestContext) (string, bool) {
	if !strings.Contains(s, "${") {
		return s, true
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 { // not a variable: literal text
			b.WriteString(s)
			return b.String(), true
		}
		b.WriteString(s[:i])
		inner := s[i+2 : i+j]
		s = s[i+j+1:]
		switch inner {
		case "*", "?", "$":
			b.WriteString(inner)
			continue
		}
		key, def, hasDefault := strings.Cut(inner, ",")
		key = strings.TrimSpace(key)
		if hasDefault {
			def = strings.TrimSpace(def)
			if len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'' {
				return "", false // IAM refuses a default that is not quoted
			}
			def = def[1 : len(def)-1]
		}
		vals, present := ctx.get(key)
		switch {
		case present && len(vals) == 1:
			b.WriteString(vals[0])
		case !present && hasDefault:
			b.WriteString(def)
		default:
			return "", false
		}
	}
}
