package iameval

import (
	"bytes"
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/cardinalhq/lakerunner-iam/policy"
)

// requestContext is a request context with its keys folded to lower case: IAM
// matches condition key names without regard to case.
type requestContext map[string][]string

func newContext(m map[string][]string) requestContext {
	c := make(requestContext, len(m))
	for k, v := range m {
		k = strings.ToLower(k)
		c[k] = append(c[k], v...)
	}
	return c
}

func (c requestContext) get(key string) ([]string, bool) {
	v, ok := c[strings.ToLower(key)]
	return v, ok
}

// matcher compares one value of the policy with one of the request.
type matcher func(policyValue, requestValue string) bool

// operators are the condition operators without their ForAllValues:,
// ForAnyValue: and IfExists decorations: the positive matcher and whether
// the operator negates it. IAM defines each negated operator as the
// negation of its positive one over all the policy's values ("Evaluation
// logic for negated matching condition operators").
var operators = map[string]struct {
	match   matcher
	negated bool
	// variables: the operator's values may hold policy variables.
	variables bool
}{
	"StringEquals":              {stringEquals, false, true},
	"StringNotEquals":           {stringEquals, true, true},
	"StringEqualsIgnoreCase":    {strings.EqualFold, false, true},
	"StringNotEqualsIgnoreCase": {strings.EqualFold, true, true},
	"StringLike":                {policy.MatchResource, false, true}, // case-sensitive * and ?
	"StringNotLike":             {policy.MatchResource, true, true},
	"NumericEquals":             {numeric(func(c int) bool { return c == 0 }), false, false},
	"NumericNotEquals":          {numeric(func(c int) bool { return c == 0 }), true, false},
	"NumericLessThan":           {numeric(func(c int) bool { return c < 0 }), false, false},
	"NumericLessThanEquals":     {numeric(func(c int) bool { return c <= 0 }), false, false},
	"NumericGreaterThan":        {numeric(func(c int) bool { return c > 0 }), false, false},
	"NumericGreaterThanEquals":  {numeric(func(c int) bool { return c >= 0 }), false, false},
	"DateEquals":                {date(func(c int) bool { return c == 0 }), false, false},
	"DateNotEquals":             {date(func(c int) bool { return c == 0 }), true, false},
	"DateLessThan":              {date(func(c int) bool { return c < 0 }), false, false},
	"DateLessThanEquals":        {date(func(c int) bool { return c <= 0 }), false, false},
	"DateGreaterThan":           {date(func(c int) bool { return c > 0 }), false, false},
	"DateGreaterThanEquals":     {date(func(c int) bool { return c >= 0 }), false, false},
	"Bool":                      {boolEquals, false, true},
	"BinaryEquals":              {binaryEquals, false, false},
	"IpAddress":                 {ipInRange, false, false},
	"NotIpAddress":              {ipInRange, true, false},
	"ArnEquals":                 {arnLike, false, true}, // IAM matches ArnEquals like ArnLike, part by part
	"ArnLike":                   {arnLike, false, true},
	"ArnNotEquals":              {arnLike, true, true},
	"ArnNotLike":                {arnLike, true, true},
}

// conditionHolds evaluates one operator on one key, as IAM's "Condition
// operators" reference and "Single-valued vs. multivalued context keys"
// define: the policy's values are OR'd; a key absent from the request
// makes the condition false, except that a negated operator is then true,
// ...IfExists is then true, Null tests the absence itself, ForAllValues is
// true and ForAnyValue false. An operator IAM does not know matches
// nothing (IAM refuses such a policy).
func conditionHolds(c policy.Condition, ctx requestContext) bool {
	test := c.Test
	forAll := strings.HasPrefix(test, "ForAllValues:")
	forAny := strings.HasPrefix(test, "ForAnyValue:")
	test = strings.TrimPrefix(strings.TrimPrefix(test, "ForAllValues:"), "ForAnyValue:")
	values, present := ctx.get(c.Variable)
	if test == "Null" {
		// "true": the key must be absent; "false": present. Values OR'd.
		for _, v := range c.Values {
			if b, err := strconv.ParseBool(v); err == nil && b != present {
				return true
			}
		}
		return false
	}
	ifExists := strings.HasSuffix(test, "IfExists")
	op, ok := operators[strings.TrimSuffix(test, "IfExists")]
	if !ok {
		return false
	}
	if !present && ifExists {
		return true
	}
	// matchesAny: one request value against all the policy's values
	// (OR), policy variables substituted where the operator allows them.
	matchesAny := func(rv string) bool {
		for _, pv := range c.Values {
			if op.variables {
				var ok bool
				if pv, ok = substitute(pv, ctx); !ok {
					continue
				}
			}
			if op.match(pv, rv) {
				return true
			}
		}
		return false
	}
	switch {
	case forAll: // every request value matches; true without any
		for _, rv := range values {
			if matchesAny(rv) == op.negated {
				return false
			}
		}
		return true
	case forAny: // at least one request value matches; false without any
		for _, rv := range values {
			if matchesAny(rv) != op.negated {
				return true
			}
		}
		return false
	case !present:
		return op.negated
	}
	// A single-valued key (several values given are treated as a set any
	// of which may match).
	for _, rv := range values {
		if matchesAny(rv) {
			return !op.negated
		}
	}
	return op.negated
}

func stringEquals(p, v string) bool { return p == v }

// numeric compares the request's number with the policy's (cmp of
// request against policy); text that is not a number matches nothing.
func numeric(ok func(int) bool) matcher {
	return func(p, v string) bool {
		pf, err1 := strconv.ParseFloat(p, 64)
		vf, err2 := strconv.ParseFloat(v, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		switch {
		case vf < pf:
			return ok(-1)
		case vf > pf:
			return ok(1)
		}
		return ok(0)
	}
}

// date compares the request's time with the policy's. IAM takes ISO 8601
// dates and times, or seconds since the epoch.
func date(ok func(int) bool) matcher {
	return func(p, v string) bool {
		pt, ok1 := parseTime(p)
		vt, ok2 := parseTime(v)
		if !ok1 || !ok2 {
			return false
		}
		return ok(vt.Compare(pt))
	}
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

func boolEquals(p, v string) bool {
	pb, err1 := strconv.ParseBool(strings.ToLower(p))
	vb, err2 := strconv.ParseBool(strings.ToLower(v))
	return err1 == nil && err2 == nil && pb == vb
}

// binaryEquals compares bytes: both the policy's value and the request's
// are base64, as IAM writes binary values.
func binaryEquals(p, v string) bool {
	pb, err1 := base64.StdEncoding.DecodeString(p)
	vb, err2 := base64.StdEncoding.DecodeString(v)
	return err1 == nil && err2 == nil && bytes.Equal(pb, vb)
}

// ipInRange: the request's address is in the policy's CIDR range (a bare
// address is a range of one).
func ipInRange(p, v string) bool {
	addr, err := netip.ParseAddr(v)
	if err != nil {
		return false
	}
	prefix, err := netip.ParsePrefix(p)
	if err != nil {
		a, err := netip.ParseAddr(p)
		if err != nil {
			return false
		}
		return a == addr
	}
	return prefix.Contains(addr)
}

// arnLike matches an ARN part by part: "Each of the six colon-delimited
// components of the ARN is checked separately and each can include
// multi-character match wildcards (*) or single-character match wildcards
// (?)". A value that is not an ARN matches nothing.
func arnLike(p, v string) bool {
	pp := strings.SplitN(p, ":", 6)
	vp := strings.SplitN(v, ":", 6)
	if len(pp) != 6 || len(vp) != 6 || vp[0] != "arn" {
		return false
	}
	for i := range pp {
		if !policy.MatchResource(pp[i], vp[i]) {
			return false
		}
	}
	return true
}
