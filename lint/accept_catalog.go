package lint

// applyCatalogAccepts marks the findings that the role's template accepts
// (an accept block in the catalog, with its reason): findings about the
// template's own statements only, so a spec statement that replaces one
// is judged afresh. The spec's accept blocks come after and take
// precedence. A catalog accept that matches nothing in one environment may
// match in another, so it is not reported as stale.
func (c *roleCtx) applyCatalogAccepts() {
	accepts := c.role.Template.Accepts
	if len(accepts) == 0 {
		return
	}
	for i := range c.findings {
		f := &c.findings[i]
		if !c.fromTemplate(f) {
			continue
		}
		for _, a := range accepts {
			if a.Code == f.Code && (a.Sid == "" || a.Sid == f.Sid) {
				f.Accepted = &Accepted{Reason: a.Reason, Range: a.DefRange}
				break
			}
		}
	}
}

// fromTemplate reports whether a finding is about a statement the role's
// template wrote (not the spec's statements or trusted_principal_arns).
func (c *roleCtx) fromTemplate(f *Finding) bool {
	origins := c.role.PermissionOrigins
	switch f.Policy {
	case PolicyTrust:
		origins = c.role.TrustOrigins
	case PolicyPermissions:
	default:
		return false
	}
	if f.Index < 0 || f.Index >= len(origins) {
		return false
	}
	o := origins[f.Index]
	return o.Spec == nil && !o.TrustedPrincipals
}
