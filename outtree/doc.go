// Package outtree is the output tree: the files gen writes, their headers,
// which of them gen owns, the plan of changes, and the write itself.
//
// # Headers
//
// Every generated file starts with a header (WithHeader, or
// WithMarkdownHeader for Markdown) that says which spec it came from and
// holds the SHA-256 of the body after the header. Owner reads it: a file
// without the header is a person's and is never touched; one whose body no
// longer matches its checksum was edited by hand and is overwritten or
// removed only with Force. CRLF line endings and the spec's name in the
// first line do not count as differences: a Windows checkout is not a hand
// edit, and renaming the spec does not make files stale. The spec name is
// escaped so that no character of a file name can end the comment.
//
// # Manifest
//
// A header says a file was generated, not by which run: under one -o there
// can be another spec's output, or a nested directory another run writes
// into. So gen keeps a manifest, .lakerunner-iam-manifest.json, at the top
// of the output directory; commit it with the output. It lists, for each
// spec that generates into the directory, the files it generated:
//
//	{
//	  "manifest": "lakerunner-iam",
//	  "version": 1,
//	  "specs": [
//	    {"spec": "../examples/lakerunner.hcl", "files": ["modules/data-task/main.tf", ...]}
//	  ]
//	}
//
// A spec is named by its path relative to the output directory (after
// resolving symbolic links), so the manifest stays valid when the
// repository is cloned elsewhere. A run removes only files its own spec's
// entry lists and it no longer generates. It never overwrites a file
// another spec's entry lists unless that spec file no longer exists: then
// the spec was renamed or moved, and the run takes its entry over. Files
// two specs generate alike are listed under both. Without a manifest (a
// tree from an earlier version), the files whose header names this run's
// spec are its own. Files named *_override.tf or override.tf, Terraform
// state (terraform.tfstate*), .terraform/ and .terraform.lock.hcl are never
// written or removed, whatever a manifest says.
//
// # Writing
//
// WriteTree holds a lock, .lakerunner-iam.lock (the holder's pid, with an
// flock on Unix that the kernel drops when the holder dies, so a stale lock
// is taken over), for the whole run; a second run waits a few seconds and
// then fails with ErrLocked, having written nothing. It writes every new
// content to a temporary file beside its destination and flushes it to
// disk, then a journal,
// .lakerunner-iam-journal.json, listing each rename it is about to do, and
// only then moves old files aside (.lakerunner-iam-*.bak) and new ones into
// place. If the process dies, the next run finds the journal and finishes
// the interrupted run (every temporary file it needs was complete before
// the journal was written) or, for a run that was undoing a failure,
// finishes the undo. Temporary and backup files of earlier crashed runs are
// removed. Plan reports a journal, a lock file or such leftovers as
// Interrupted, so `gen --check` does not call an interrupted tree up to
// date.
//
// Symbolic links: the output directory itself may be one (its target is
// used), but gen refuses to read or write through a link inside it, which
// could reach files outside the output directory.
package outtree
