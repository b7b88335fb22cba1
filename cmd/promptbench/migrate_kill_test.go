//go:build linux

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"promptbench/storage"
	"promptbench/workspace"
)

// The upgrade of a store written before the time-ordered audit keys, killed
// at random instants: real promptbench processes open an old-layout store
// holding tens of thousands of audit events and are killed with SIGKILL
// while they upgrade it, now and then with a reader started beside them;
// then a command run normally must open the store by itself and show every
// event exactly once, in time order, and the store must hold each event
// once under its append key and once under its time-ordered key. Each
// kill's progress must be kept: the commands after it write none of the
// time-ordered keys it wrote again (migrate_progress_test.go).
//
//	go test -run TestMigrationKilled ./cmd/promptbench                       # 10 kills
//	PROMPTBENCH_SOAK=300 go test -run TestMigrationKilled -timeout 30m ./cmd/promptbench
//	PROMPTBENCH_SOAK_SEED=42 go test -run TestMigrationKilled ./cmd/promptbench   # same choices again
//	PROMPTBENCH_MIGRATE_EVENTS=113000 …                                        # a larger trail
const (
	defaultMigrateKills  = 10
	defaultMigrateEvents = 20_000
	// extraMigrateKills is how many more kills the soak makes when none
	// of the first landed in the middle of an upgrade.
	extraMigrateKills = 20
)

// migrateSoak is one run of the test.
type migrateSoak struct {
	t        *testing.T
	r        runner
	rng      *rand.Rand
	tmp      string
	template string   // the old-layout workspace each round copies
	trail    oldTrail // its events, in append order
	// typical is how long an upgrading command runs: kills aim inside it.
	typical time.Duration
	kills   map[string]int
	// commits counts the commits tried, to name each one's prompt.
	commits int
	// progress is what the kills in the middle of an upgrade left
	// (migrate_progress_test.go).
	progress upgradeProgress
}

// round is one copy of the old store and what the commands run on it
// reported.
type round struct {
	ws string
	// committed and tried are the prompts of commits that reported
	// success, and of those killed before they could (present or not).
	committed, tried []string
	// copies is the version of each time-ordered key after the kills
	// (probeCopies).
	copies map[string]uint64
}

func TestMigrationKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs some forty processes on a store of 20,000 audit events; skipped with -short")
	}
	target := envInt(t, "PROMPTBENCH_SOAK", defaultMigrateKills)
	events := envInt(t, "PROMPTBENCH_MIGRATE_EVENTS", defaultMigrateEvents)
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("PROMPTBENCH_SOAK_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("PROMPTBENCH_SOAK_SEED=%q: want a number", v)
		}
		seed = n
	}
	t.Logf("migration soak seed %d (PROMPTBENCH_SOAK_SEED=%d repeats it), %d kills, %d audit events", seed, seed, target, events)
	tmp := t.TempDir()
	m := &migrateSoak{t: t, rng: rand.New(rand.NewPCG(seed, 0x5c4e)), tmp: tmp, kills: map[string]int{}}
	m.r = runner{bin: soakBinary(t, tmp), configHome: filepath.Join(tmp, "config")}
	t.Cleanup(func() { waitStrays(m.r.bin, 0) })
	m.template = filepath.Join(tmp, "old", ".promptbench")
	if o := m.r.run("--workspace", m.template, "init"); !o.ok() {
		t.Fatalf("init: exit %d: %s", o.code, o.err)
	}
	m.trail = makeOldTrail(m.rng, events)
	if err := writeOldLayout(m.template, m.trail); err != nil {
		t.Fatal(err)
	}

	// An upgrade nobody interrupts, which also says how long one takes.
	rd := m.newRound(0)
	o := m.r.run("--workspace", rd.ws, "list")
	if !o.ok() {
		t.Fatalf("list on the old store: exit %d: %s", o.code, o.err)
	}
	m.typical = o.took
	t.Logf("an upgrading list took %v", o.took.Round(time.Millisecond))
	m.check(rd, false)

	total, rounds := 0, 0
	// Until one kill, at least, landed in the middle of an upgrade: what
	// it leaves shows the next command going on from it.
	for (total < target || m.progress.midway == 0 && total < target+extraMigrateKills) && !t.Failed() {
		rounds++
		rd := m.newRound(rounds)
		for range 1 + m.rng.IntN(3) {
			if m.killOne(&rd) {
				total++
			}
		}
		m.check(rd, rounds%4 == 1)
		os.RemoveAll(filepath.Dir(rd.ws))
		if rounds%10 == 0 {
			t.Logf("%d kills over %d old stores", total, rounds)
		}
	}
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m.kills)) {
		fmt.Fprintf(&b, " %s %d,", k, m.kills[k])
	}
	t.Logf("seed %d: %d kills over %d old stores:%s", seed, total, rounds, strings.TrimSuffix(b.String(), ","))
	m.progress.report(m, total)
	if t.Failed() {
		t.Logf("rerun with PROMPTBENCH_SOAK_SEED=%d", seed)
	}
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// newRound copies the old store for round i.
func (m *migrateSoak) newRound(i int) round {
	m.t.Helper()
	ws := filepath.Join(m.tmp, fmt.Sprintf("round-%d", i), ".promptbench")
	if err := copyTree(m.template, ws); err != nil {
		m.t.Fatal(err)
	}
	return round{ws: ws}
}

// killOne starts a command that upgrades the store and kills it at a
// random instant of a typical upgrade, now and then with a reader started
// beside it, which must wait or upgrade the store itself and show the whole
// trail. It reports whether the kill landed before the command ended.
func (m *migrateSoak) killOne(rd *round) bool {
	m.t.Helper()
	var args []string
	stdin := ""
	name := ""
	switch k := m.rng.IntN(5); k {
	case 0:
		args = []string{"maintain"}
	case 1:
		args = []string{"list"}
	case 2:
		args = []string{"audit", "--json"}
	case 3:
		args = []string{"export", "--out", filepath.Join(filepath.Dir(rd.ws), "killed.yaml")}
	default:
		m.commits++
		name = fmt.Sprintf("kill/p-%d", m.commits)
		args = []string{"commit", name, "-m", "during the upgrade"}
		stdin = "Say {{what}}.\n"
	}
	delay := time.Duration(m.rng.Int64N(int64(m.typical) + 1))
	var wg sync.WaitGroup
	var reader outcome
	withReader := m.rng.IntN(3) == 0
	if withReader {
		readAfter := time.Duration(m.rng.Int64N(int64(delay) + 1))
		wg.Go(func() {
			time.Sleep(readAfter)
			reader, _ = m.r.start(procSpec{args: []string{"--workspace", rd.ws, "audit", "--json"}}, -1)
		})
	}
	o, err := m.r.start(procSpec{args: append([]string{"--workspace", rd.ws}, args...), stdin: stdin}, delay)
	wg.Wait()
	if err != nil {
		m.t.Fatal(err)
	}
	what := args[0]
	if name != "" {
		rd.tried = append(rd.tried, name)
	}
	switch {
	case o.killed:
		m.kills[what]++
		m.probeCopies(rd)
	case o.code != 0:
		m.t.Errorf("%s on an old store, not killed: exit %d: %s", strings.Join(args, " "), o.code, firstLines(o.err))
	case name != "":
		rd.committed = append(rd.committed, name)
	}
	if withReader {
		if reader.killed || reader.code != 0 {
			m.t.Errorf("audit --json beside %s killed after %v: exit %d: %s", what, delay, reader.code, firstLines(reader.err))
		} else {
			m.checkTrail(*rd, "audit --json beside a killed "+what, reader.out)
		}
	}
	return o.killed
}

// check runs the user's next command normally: it must open the store by
// itself and show the whole trail; then the store must hold each event
// once under each of its two keys. With export, an export's audit section
// and doctor are checked too.
func (m *migrateSoak) check(rd round, export bool) {
	m.t.Helper()
	o := m.r.run("--workspace", rd.ws, "audit", "--json")
	if !o.ok() {
		m.t.Errorf("audit --json after the kills: exit %d: %s", o.code, firstLines(o.err))
		return
	}
	m.checkTrail(rd, "audit --json after the kills", o.out)
	m.checkKeys(rd)
	m.checkKept(rd)
	if !export {
		return
	}
	file := filepath.Join(filepath.Dir(rd.ws), "after.yaml")
	if o := m.r.run("--workspace", rd.ws, "export", "--out", file); !o.ok() {
		m.t.Errorf("export after the kills: exit %d: %s", o.code, firstLines(o.err))
		return
	}
	m.checkExport(file)
	if o := m.r.run("--workspace", rd.ws, "doctor"); !o.ok() {
		m.t.Errorf("doctor after the kills: exit %d: %s %s", o.code, firstLines(o.out), firstLines(o.err))
	}
}

// checkTrail compares audit --json output with the old trail in time
// order and the commits of the round.
func (m *migrateSoak) checkTrail(rd round, what, out string) {
	m.t.Helper()
	var events []workspace.AuditEvent
	if err := json.Unmarshal([]byte(out), &events); err != nil {
		m.t.Errorf("%s: no JSON: %v", what, err)
		return
	}
	var old []workspace.AuditEvent
	var committed []string
	for _, ev := range events {
		if strings.HasPrefix(ev.Prompt, "kill/") && ev.Action == workspace.AuditCommit {
			committed = append(committed, ev.Prompt)
			continue
		}
		old = append(old, ev)
	}
	m.compare(what, details(old), m.trail.inTime())
	m.checkCommits(rd, what, committed)
}

// checkCommits checks the commits a trail shows: each reported one once,
// a killed one at most once, nothing else.
func (m *migrateSoak) checkCommits(rd round, what string, got []string) {
	m.t.Helper()
	seen := map[string]int{}
	for _, p := range got {
		seen[p]++
		if seen[p] > 1 || !slices.Contains(rd.tried, p) {
			m.t.Errorf("%s: commit of %s shown %d times (tried %q)", what, p, seen[p], rd.tried)
		}
	}
	for _, p := range rd.committed {
		if seen[p] == 0 {
			m.t.Errorf("%s: the reported commit of %s is missing", what, p)
		}
	}
}

// compare reports where got departs from want, briefly.
func (m *migrateSoak) compare(what string, got, want []string) {
	m.t.Helper()
	if slices.Equal(got, want) {
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	at := func(s []string) string {
		if i < len(s) {
			return s[i]
		}
		return "the end"
	}
	dup := map[string]int{}
	dups := 0
	for _, d := range got {
		if dup[d]++; dup[d] == 2 {
			dups++
		}
	}
	m.t.Errorf("%s: %d old events where %d were written (%d shown more than once); first difference at %d: %s, want %s", what, len(got), len(want), dups, i, at(got), at(want))
}

// checkKeys reads the store as it is after the commands: each event once
// in the order appended, and as often in time order.
func (m *migrateSoak) checkKeys(rd round) {
	m.t.Helper()
	s, err := storage.Open(context.Background(), storage.Options{Dir: filepath.Join(rd.ws, "store"), ReadOnly: true})
	if err != nil {
		m.t.Errorf("open the store after the kills: %v", err)
		return
	}
	defer s.Close()
	var appended, inTime []string
	var committed []string
	collect := func(into *[]string) func([]byte) error {
		return func(val []byte) error {
			ev, err := workspace.DecodeAuditEvent(val)
			if err != nil {
				return err
			}
			if strings.HasPrefix(ev.Prompt, "kill/") && ev.Action == workspace.AuditCommit {
				if into == &appended {
					committed = append(committed, ev.Prompt)
				}
				return nil
			}
			*into = append(*into, ev.Detail)
			return nil
		}
	}
	err = s.View(func(tx *storage.Tx) error {
		if err := tx.ScanAudit(collect(&appended)); err != nil {
			return err
		}
		return tx.ScanAuditInTime(nil, collect(&inTime))
	})
	if err != nil {
		m.t.Errorf("read the store after the kills: %v", err)
		return
	}
	m.compare("events under their append keys", appended, details(m.trail))
	m.compare("events under their time-ordered keys", inTime, m.trail.inTime())
	m.checkCommits(rd, "events under their append keys", committed)
}

var exportedDetail = regexp.MustCompile(`(?m)^  detail: (event \d+)$`)

// checkExport checks an export's audit section: every old event but the
// imports (each library's own), once.
func (m *migrateSoak) checkExport(file string) {
	m.t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		m.t.Error(err)
		return
	}
	text := string(b)
	at := strings.Index(text, "\naudit:\n")
	if at < 0 {
		m.t.Errorf("export has no audit section")
		return
	}
	var got, want []string
	for _, sub := range exportedDetail.FindAllStringSubmatch(text[at:], -1) {
		got = append(got, sub[1])
	}
	for _, ev := range m.trail {
		if ev.Action != workspace.AuditImport {
			want = append(want, ev.Detail)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	m.compare("the export's audit section (sorted)", got, want)
}
