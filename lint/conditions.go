package lint

import (
	"fmt"
	"strings"
)

// conditionKeys are the statement's condition keys that restrict it: not
// negated ("StringNotEquals", "NotIpAddress"), not "...IfExists" (met when
// the key is absent), not "Null", and not "ForAllValues:" unless a Null
// condition requires the key: ForAllValues is true when the request has no
// such key (on a single-valued key such as aws:SourceAccount or s3:prefix
// that is any request that does not set it). "ForAnyValue:" is false when
// the key is absent and, on a single-valued key, tests the one value as the
// plain operator does, so it restricts.
func (s *stmtCtx) conditionKeys() []string {
	var out []string
	for _, c := range s.st.Conditions {
		set, op, qualified := strings.Cut(c.Test, ":")
		if !qualified {
			op = c.Test
		}
		if strings.Contains(op, "Not") || strings.HasSuffix(op, "IfExists") || op == "Null" {
			continue
		}
		if qualified && set == "ForAllValues" && !s.requiresKey(c.Variable) {
			continue
		}
		out = append(out, strings.ToLower(c.Variable))
	}
	return out
}

// requiresKey reports whether a Null condition with "false" makes the key
// required, so that a ForAllValues condition on it cannot pass vacuously.
func (s *stmtCtx) requiresKey(key string) bool {
	for _, c := range s.st.Conditions {
		if c.Test == "Null" && strings.EqualFold(c.Variable, key) && len(c.Values) == 1 && strings.EqualFold(c.Values[0], "false") {
			return true
		}
	}
	return false
}

// vacuousConditions describes the statement's ForAllValues conditions
// that do not restrict it (see conditionKeys), for messages.
func (s *stmtCtx) vacuousConditions() []string {
	var out []string
	for _, c := range s.st.Conditions {
		set, op, _ := strings.Cut(c.Test, ":")
		if set == "ForAllValues" && !strings.Contains(op, "Not") && !s.requiresKey(c.Variable) {
			out = append(out, fmt.Sprintf("%s on %s", c.Test, c.Variable))
		}
	}
	return out
}

func (s *stmtCtx) hasCondition(keys ...string) bool {
	for _, k := range s.conditionKeys() {
		for _, want := range keys {
			if k == strings.ToLower(want) {
				return true
			}
		}
	}
	return false
}

// narrows reports whether a condition of the statement narrows which
// resources the actions of a service apply to: a key of that service
// (ecs:cluster, kms:ViaService, cloudwatch:namespace) or one about the
// resource (aws:ResourceAccount, aws:ResourceOrgID, aws:ResourceOrgPaths,
// aws:ResourceTag/...).
func (s *stmtCtx) narrows(svc string) bool {
	for _, k := range s.conditionKeys() {
		switch {
		case strings.HasPrefix(k, strings.ToLower(svc)+":"),
			k == "aws:resourceaccount", k == "aws:resourceorgid", k == "aws:resourceorgpaths",
			strings.HasPrefix(k, "aws:resourcetag/"):
			return true
		}
	}
	return false
}
