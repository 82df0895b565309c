package outtree

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"
)

// These tests run the real CLI, built once per test binary, and kill it
// or race two of it. They take a minute, so -short skips them.

// builtCLI is the CLI the tests share, built on first use.
var builtCLI struct {
	once     sync.Once
	dir, bin string
	err      error
}

// TestMain removes the shared CLI after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtCLI.dir != "" {
		os.RemoveAll(builtCLI.dir)
	}
	os.Exit(code)
}

// buildCLI returns cmd/lakerunner-iam built once for every test of the
// package (a link of the whole CLI takes seconds).
func buildCLI(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the CLI many times; not in -short runs")
	}
	builtCLI.once.Do(func() {
		builtCLI.dir, builtCLI.err = os.MkdirTemp("", "lakerunner-iam-cli-")
		if builtCLI.err != nil {
			return
		}
		bin := filepath.Join(builtCLI.dir, "lakerunner-iam")
		if out, err := exec.Command("go", "build", "-o", bin, "github.com/cardinalhq/lakerunner-iam/cmd/lakerunner-iam").CombinedOutput(); err != nil {
			builtCLI.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		builtCLI.bin = bin
	})
	if builtCLI.err != nil {
		t.Fatal(builtCLI.err)
	}
	return builtCLI.bin
}

// manyEnvironments is a spec of n environments; region and the account
// offset make versions whose every root differs.
func manyEnvironments(n, account int, region string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "environment \"env-%03d\" {\n  account_id = \"%012d\"\n  region     = %q\n}\n", i, 100000000000+account+i, region)
	}
	return b.String()
}

// gen runs `lakerunner-iam gen -o out spec` in dir, to completion.
func gen(t *testing.T, bin, dir string) {
	t.Helper()
	cmd := exec.Command(bin, "gen", "-o", "out", "spec.hcl")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen in %s: %v\n%s", dir, err, out)
	}
}

// project writes spec.hcl into a new directory and generates out/ there.
func project(t *testing.T, bin, spec string) string {
	t.Helper()
	dir := t.TempDir()
	testutil.WriteFiles(t, dir, map[string]string{"spec.hcl": spec})
	gen(t, bin, dir)
	return dir
}

// killCount is how many kills TestKillDuringGen does, and of specs of how
// many environments: LAKERUNNER_IAM_KILLS of 200 environments, else 5 of
// 15. Fifteen environments (about 150 files) still take milliseconds to
// write and move, and the kills are timed from the lock's and the
// journal's appearance, so they land while files are written and moved;
// each gen is short enough for `make test`.
func killCount(t *testing.T) (kills, envs int) {
	if s := os.Getenv("LAKERUNNER_IAM_KILLS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("LAKERUNNER_IAM_KILLS=%q: %v", s, err)
		}
		return n, 200
	}
	return 5, 15
}

// TestKillDuringGen kills `gen` of a many-environment spec with SIGKILL at
// random points while it replaces a previous output. After each kill the
// tree is wholly old, wholly new, or Plan reports the interrupted run;
// after the next gen it equals a fresh generation exactly, and the local
// state file in a root is intact. Most kills land while files are being
// written or moved into place; one in four anywhere.
//
//	LAKERUNNER_IAM_KILLS=20 go test -run TestKillDuringGen -v -timeout 60m ./outtree
func TestKillDuringGen(t *testing.T) {
	bin := buildCLI(t)
	kills, envs := killCount(t)
	specs := []string{manyEnvironments(envs, 0, "us-east-1"), manyEnvironments(envs, 1000, "us-west-2")}
	refs := make([]map[string]string, 2)
	for i, s := range specs {
		refs[i] = contents(t, filepath.Join(project(t, bin, s), "out"))
	}
	dir := t.TempDir()
	testutil.WriteFiles(t, dir, map[string]string{"spec.hcl": specs[0]})
	start := time.Now()
	gen(t, bin, dir)
	total := time.Since(start)
	out := filepath.Join(dir, "out")
	const state = "env-000/terraform.tfstate"
	stateContent := "{\"version\": 4, \"serial\": 7}\n"
	testutil.WriteFiles(t, out, map[string]string{state: stateContent})
	withoutState := func() map[string]string {
		c := contents(t, out)
		if c[state] != stateContent {
			t.Fatalf("%s changed: %q", state, c[state])
		}
		delete(c, state)
		return c
	}

	// Where to kill: anywhere in a run (one in four), while it writes
	// (from the lock file's appearance; one in four), or while it moves
	// files into place (from the journal's appearance; one in two). The
	// first run, not killed, measures how long the last two take.
	cur := 0
	var writing, committing time.Duration
	tally := map[string]int{}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	random := func(d time.Duration) time.Duration { return time.Duration(rng.Int64N(int64(max(d, time.Millisecond)))) }
	for i := range kills + 1 {
		next := 1 - cur
		testutil.WriteFiles(t, dir, map[string]string{"spec.hcl": specs[next]})
		cmd := exec.Command(bin, "gen", "-o", "out", "spec.hcl")
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		var done atomic.Bool
		go func() {
			err := cmd.Wait()
			done.Store(true)
			exited <- err
		}()
		// waitFor returns once name exists under out, or the run exited.
		waitFor := func(name string) {
			for !exists(filepath.Join(out, name)) && !done.Load() {
				time.Sleep(200 * time.Microsecond)
			}
		}
		calibrate := i == 0
		var delay time.Duration
		var where string
		switch r := rng.IntN(4); {
		case calibrate:
		case r == 0:
			where, delay = "run", random(total)
		case r == 1:
			waitFor(lockName)
			where, delay = "writing", random(writing)
		default:
			waitFor(journalName)
			where, delay = "commit", random(committing)
		}
		var killed bool
		if calibrate {
			waitFor(lockName)
			t0 := time.Now()
			waitFor(journalName)
			t1 := time.Now()
			if err := <-exited; err != nil {
				t.Fatalf("gen: %v\n%s", err, stderr.String())
			}
			writing, committing = time.Since(t0)*5/4, time.Since(t1)*5/4
			t.Logf("a gen takes %v; writing (lock held) %v; commit (journal to exit) %v, each with a quarter's margin",
				total.Round(time.Millisecond), writing.Round(time.Millisecond), committing.Round(time.Millisecond))
		} else {
			select {
			case <-time.After(delay):
				cmd.Process.Kill()
				killed = true
				<-exited
			case err := <-exited:
				if err != nil {
					t.Fatalf("gen: %v\n%s", err, stderr.String())
				}
			}
		}

		got := withoutState()
		changes, err := Plan(out, nil, Options{})
		if err != nil {
			t.Fatal(err)
		}
		kind := ""
		switch {
		case hasInterrupted(changes) && exists(filepath.Join(out, journalName)):
			kind = "interrupted after the journal, reported by Plan"
		case hasInterrupted(changes):
			kind = "interrupted before the journal, reported by Plan"
		case reflect.DeepEqual(got, refs[cur]):
			kind = "wholly old"
		case reflect.DeepEqual(got, refs[next]):
			kind = "wholly new"
		default:
			t.Fatalf("kill %d, %v into the %s: tree neither old nor new and Plan reports no interrupted run", i, delay, where)
		}
		if !killed {
			kind = "finished before the kill"
		}
		if !calibrate {
			tally[kind]++
			t.Logf("kill %d, %v into the %s: %s", i, delay.Round(time.Millisecond), where, kind)
		}

		gen(t, bin, dir)
		if got := withoutState(); !reflect.DeepEqual(got, refs[next]) {
			t.Fatalf("kill %d, then gen: tree differs from a fresh generation", i)
		}
		cur = next
	}
	t.Logf("outcomes: %v", tally)
}

// TestConcurrentGens starts two gens of different specs into one empty
// directory at once, ten times. One wins and the tree is exactly its
// spec's output; the other fails, having written nothing.
func TestConcurrentGens(t *testing.T) {
	bin := buildCLI(t)
	base := t.TempDir()
	names := []string{"a", "b"}
	// The same size, so that either may win; small, as the lock and the
	// manifest decide the race whatever the size.
	specs := map[string]string{"a": manyEnvironments(3, 0, "us-east-1"), "b": manyEnvironments(3, 5000, "eu-west-1")}
	refs := map[string]map[string]string{}
	for _, n := range names {
		testutil.WriteFiles(t, base, map[string]string{"specs/" + n + ".hcl": specs[n]})
		ref := filepath.Join(base, "ref-"+n)
		if err := os.MkdirAll(ref, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "gen", "-o", "out", "../specs/"+n+".hcl")
		cmd.Dir = ref
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		refs[n] = contents(t, filepath.Join(ref, "out"))
	}
	run := filepath.Join(base, "run")
	wins, losses := map[string]int{}, map[string]int{}
	for i := range 10 {
		if err := os.RemoveAll(run); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(run, 0o755); err != nil {
			t.Fatal(err)
		}
		type result struct {
			name string
			err  error
			out  string
		}
		results := make(chan result, 2)
		for _, n := range names {
			go func() {
				cmd := exec.Command(bin, "gen", "-o", "out", "../specs/"+n+".hcl")
				cmd.Dir = run
				out, err := cmd.CombinedOutput()
				results <- result{n, err, string(out)}
			}()
		}
		var winners []string
		for range names {
			r := <-results
			if r.err == nil {
				winners = append(winners, r.name)
				continue
			}
			switch {
			case strings.Contains(r.out, "is being written by another lakerunner-iam gen"):
				losses["gave up waiting for the lock"]++
			case strings.Contains(r.out, "another spec that generates into"):
				losses["refused the other spec's files"]++
			default:
				t.Errorf("pair %d: %s failed for another reason:\n%s", i, r.name, r.out)
			}
			if !strings.Contains(r.out, "Nothing was written") && !strings.Contains(r.out, "Nothing under out was changed") {
				t.Errorf("pair %d: %s failed without saying nothing was written:\n%s", i, r.name, r.out)
			}
		}
		if len(winners) != 1 {
			t.Fatalf("pair %d: %d runs succeeded, want 1", i, len(winners))
		}
		if got := contents(t, filepath.Join(run, "out")); !reflect.DeepEqual(got, refs[winners[0]]) {
			t.Fatalf("pair %d: tree is not exactly %s's output", i, winners[0])
		}
		wins[winners[0]]++
	}
	t.Logf("winners: %v; losers: %v", wins, losses)
}
