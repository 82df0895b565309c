package iameval

import (
	"reflect"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/policy"
)

// FuzzEvaluate: any policy IAM's JSON parser accepts, any request:
// evaluation never panics, gives the same answer twice, and an explicit
// deny is never reported with allowing statements (nor the reverse).
func FuzzEvaluate(f *testing.F) {
	f.Add(reportsPolicy, "iam:GetUser", "*", "aws:username", "maria", false)
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"ForAllValues:StringLike":{"aws:TagKeys":["a*","?b"]},"NumericLessThanIfExists":{"s3:max-keys":"10"}}}}`,
		"s3:GetObject", "arn:aws:s3:::b/maria/k", "aws:TagKeys", "ab", false)
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::111122223333:role/r"]},"Action":"sts:AssumeRole","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"DateLessThan":{"aws:CurrentTime":"2030-01-01"},"ArnLike":{"aws:SourceArn":"arn:aws:*:*:*:*"},"Null":{"sts:ExternalId":"false"}}}]}`,
		"sts:AssumeRole", "arn:aws:sts::111122223333:assumed-role/r/s", "aws:SourceIp", "10.1.2.3", true)
	f.Fuzz(func(t *testing.T, js, action, resource, key, value string, trust bool) {
		d, err := policy.Parse([]byte(js))
		if err != nil {
			return
		}
		kind := Identity
		req := Request{Action: action, Resource: resource, Context: map[string][]string{key: {value, value + "*"}}}
		if trust {
			kind = Trust
			req.Principal = &Principal{Type: "AWS", ID: resource}
		}
		p := []*Policy{{Kind: kind, Name: "fuzz", Document: d}}
		first, second := Evaluate(p, req), Evaluate(p, req)
		if !reflect.DeepEqual(first, second) {
			t.Fatalf("two evaluations differ: %+v and %+v", first, second)
		}
		for _, m := range first.Deciding {
			if deny := m.Statement.Effect == "Deny"; deny != (first.Decision == ExplicitlyDenied) {
				t.Fatalf("%s decided by a statement of effect %s", first.Decision, m.Statement.Effect)
			}
		}
	})
}
