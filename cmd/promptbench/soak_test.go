//go:build linux

package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
)

// The crash soak: real promptbench processes that write (commit, label,
// tag, import, run, maintain, and the maintain writers start in the
// background) are killed with SIGKILL at random instants, and after each
// one fresh processes check that the workspace opens by itself, that every
// change a process reported is there, and that nothing is half-applied;
// every few kills the library must survive export → import → export.
//
//	go test -run TestSoak ./cmd/promptbench                      # 30 kills
//	PROMPTBENCH_SOAK=1000 go test -run TestSoak -timeout 60m ./cmd/promptbench
//	PROMPTBENCH_SOAK_SEED=42 go test -run TestSoak ./cmd/promptbench   # same choices again
//
// A seed repeats the commands, their order and the kill delays; where a
// kill lands inside a process still depends on the machine.
const (
	defaultSoakKills = 30
	epochKills       = 100 // kills per workspace before a fresh one
	roundTripEvery   = 10  // iterations between export → import checks
	doctorEvery      = 5   // iterations between doctor checks
	maxSoakFailures  = 5   // stop after this many broken workspaces
)

type soak struct {
	t         *testing.T
	r         runner
	rng       *rand.Rand
	seed      uint64
	tmp       string
	ws        string
	epoch     int
	model     *soakModel
	imports   struct{ small, big importSource }
	hasDoctor bool // the binary has `doctor`: it must find the store healthy
	// teammate runs the teammate's round trips (soak_teammate_test.go):
	// only in a long soak (PROMPTBENCH_SOAK set, and not
	// PROMPTBENCH_SOAK_TEAMMATE=0), because they still find
	// two known import faults of a teammate's merged library (a label
	// conflict reported again on re-import, a label history that differs
	// after export → import) at a rate that would fail the short CI soak
	// at random; the long soak keeps reporting them until they are fixed.
	teammate bool
	// demo is the library a clean `init --demo` makes.
	demo demoLibrary
	// exportFile is the workspace's export_file, "" when it keeps none.
	exportFile string
	stats      soakStats
	fails      []string
	// typical is each command's usual run time, learnt from the runs that
	// finished: kills aim inside it so that few land after the exit.
	typical map[string]time.Duration
}

type soakStats struct {
	kills, finished, failed map[string]int
	unopenable, lost        int
	litter                  int // temporary export files kills left behind
	exportEpochs            int // workspaces that kept an export_file
	concurrent              int // iterations with two writers at once
	footprints              []footprint
	problems                map[string]int
	roundTrips              int
	roundTripsWithLogs      int
	doctorRuns              int
	lineage                 lineageStats
	folderRoundTrips        int // through export --dir
	teammateRoundTrips      int // of a teammate's library importing each export
}

func (st soakStats) totalKills() int {
	n := 0
	for _, k := range st.kills {
		n += k
	}
	return n
}

func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash soak runs a few hundred processes; skipped with -short")
	}
	target := defaultSoakKills
	if v := os.Getenv("PROMPTBENCH_SOAK"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("PROMPTBENCH_SOAK=%q: want a number of kills", v)
		}
		target = n
	}
	teammate := os.Getenv("PROMPTBENCH_SOAK") != "" && os.Getenv("PROMPTBENCH_SOAK_TEAMMATE") != "0"
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("PROMPTBENCH_SOAK_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("PROMPTBENCH_SOAK_SEED=%q: want a number", v)
		}
		seed = n
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the soak builds promptbench and needs the go command")
	}
	if _, err := os.Stat("/proc/self/exe"); err != nil {
		t.Skip("the soak finds background processes through /proc")
	}
	start := time.Now()
	s := &soak{t: t, rng: rand.New(rand.NewPCG(seed, 0x50a4)), seed: seed, tmp: t.TempDir(), typical: map[string]time.Duration{}, teammate: teammate}
	s.stats = soakStats{kills: map[string]int{}, finished: map[string]int{}, failed: map[string]int{}, problems: map[string]int{}}
	s.r = runner{bin: soakBinary(t, s.tmp), configHome: filepath.Join(s.tmp, "config")}
	// Nothing the soak started may outlive it, the detached maintain included.
	t.Cleanup(func() { waitStrays(s.r.bin, 0) })
	srv := fakeopenai.NewUnrecorded(func(n int, _ *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Delay: time.Duration(n*37%150) * time.Millisecond, Content: fmt.Sprintf("Soak answer %d.", n)}
	})
	t.Cleanup(srv.Close)
	s.prepareImports()
	// A binary without the doctor command answers with the root's help.
	help := s.r.run("doctor", "--help")
	s.hasDoctor = help.code == 0 && strings.Contains(help.out, "promptbench doctor")
	s.newEpoch(srv.BaseURL())
	t.Logf("soak seed %d (PROMPTBENCH_SOAK_SEED=%d repeats it), %d kills", seed, seed, target)

	iter := 0
	epochStart := 0
	for s.stats.totalKills() < target && iter < 8*target && len(s.fails) < maxSoakFailures {
		iter++
		st := s.step(iter)
		probs := st.probs
		if iter%doctorEvery == 0 && len(probs) == 0 && s.hasDoctor {
			probs = s.doctor()
		}
		if iter%doctorEvery == 0 && len(probs) == 0 {
			probs = s.auditLineage()
		}
		if iter%roundTripEvery == 0 && len(probs) == 0 {
			probs = s.roundTrip(iter)
		}
		if len(probs) > 0 {
			s.fail(iter, st, probs)
			if slices.ContainsFunc(probs, func(p problem) bool { return !p.usable() }) {
				s.newEpoch(srv.BaseURL())
				epochStart = s.stats.totalKills()
				continue
			}
		}
		if s.stats.totalKills()-epochStart >= epochKills && s.stats.totalKills() < target {
			s.newEpoch(srv.BaseURL())
			epochStart = s.stats.totalKills()
		}
	}
	s.report(iter, time.Since(start))
	if len(s.fails) > 0 {
		t.Errorf("soak seed %d: %d failures (rerun with PROMPTBENCH_SOAK_SEED=%d):\n%s", seed, len(s.fails), seed, strings.Join(s.fails, "\n"))
	}
}

// newEpoch starts over on a fresh workspace: the demo library, a local
// model server, and the soak's own prompts, each with one version.
func (s *soak) newEpoch(baseURL string) {
	s.t.Helper()
	if s.ws != "" {
		s.stats.litter += s.litter()
		s.stats.footprints = append(s.stats.footprints, footprintOf(s.ws))
		os.RemoveAll(filepath.Dir(s.ws))
	}
	s.epoch++
	// A project folder holding the workspace, as in a repository: the
	// export file, when the workspace keeps one, goes beside it.
	project := filepath.Join(s.tmp, fmt.Sprintf("project-%d", s.epoch))
	s.ws = filepath.Join(project, ".promptbench")
	s.model = newSoakModel()
	s.mustRun("", "init", "--demo")
	if s.demo == nil {
		demo, err := parseDemo(s.mustRun("", "list", "--json"))
		if err != nil {
			s.t.Fatal(err)
		}
		s.demo = demo
	}
	cfg, err := os.OpenFile(filepath.Join(s.ws, "config.yaml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		s.t.Fatal(err)
	}
	fmt.Fprintf(cfg, "\nproviders:\n  - name: local\n    kind: openai\n    base_url: %s\n", baseURL)
	fmt.Fprint(cfg, gatedConfig)
	// Half the workspaces keep an export file current on every change,
	// one more file every writing command rewrites.
	s.exportFile = ""
	if s.rng.IntN(2) == 0 {
		fmt.Fprintf(cfg, "export_file: prompts.yaml\n")
		s.exportFile = filepath.Join(project, "prompts.yaml")
		s.stats.exportEpochs++
	}
	if err := cfg.Close(); err != nil {
		s.t.Fatal(err)
	}
	for _, p := range soakPrompts {
		out := s.mustRun(fmt.Sprintf("First words of %s for {{q}}.\n", p), "commit", p, "-m", "soak start")
		if err := s.model.commitReported(out); err != nil {
			s.t.Fatal(err)
		}
	}
	s.newLineages()
}

func (s *soak) mustRun(stdin string, args ...string) string {
	s.t.Helper()
	o, err := s.r.start(procSpec{args: append([]string{"--workspace", s.ws}, args...), stdin: stdin}, -1)
	if err != nil || !o.ok() {
		s.t.Fatalf("promptbench %s: %v exit %d\n%s", strings.Join(args, " "), err, o.code, o.err)
	}
	return o.out
}

// litter counts the temporary files of export_file rewrites that kills
// left in the project folder.
func (s *soak) litter() int {
	if s.exportFile == "" {
		return 0
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(s.exportFile), "."+filepath.Base(s.exportFile)+".*"))
	return len(left)
}

// report logs the soak's figures.
func (s *soak) report(iters int, took time.Duration) {
	var kinds []string
	for k := range s.stats.kills {
		kinds = append(kinds, k)
	}
	for k := range s.stats.finished {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for k := range s.stats.failed {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	var b strings.Builder
	fmt.Fprintf(&b, "soak seed %d: %d kills in %d iterations over %d workspaces (%d keeping an export_file), %d with two writers at once, %d export → import round trips (%d with logs, %d more through export --dir, %d of a teammate's library), %d healthy doctor runs, %v\n",
		s.seed, s.stats.totalKills(), iters, s.epoch, s.stats.exportEpochs, s.stats.concurrent, s.stats.roundTrips, s.stats.roundTripsWithLogs, s.stats.folderRoundTrips, s.stats.teammateRoundTrips, s.stats.doctorRuns, took.Round(time.Millisecond))
	fmt.Fprintf(&b, "  %-24s %6s %8s %6s\n", "command", "killed", "finished", "failed")
	for _, k := range kinds {
		fmt.Fprintf(&b, "  %-24s %6d %8d %6d\n", k, s.stats.kills[k], s.stats.finished[k], s.stats.failed[k])
	}
	fmt.Fprintf(&b, "  %s\n", s.stats.lineage)
	fmt.Fprintf(&b, "  unopenable stores %d, lost reported changes %d, problems by kind %v\n", s.stats.unopenable, s.stats.lost, s.stats.problems)
	fmt.Fprintf(&b, "  temporary export files left beside export_file by kills: %d\n", s.stats.litter+s.litter())
	for i, f := range append(s.stats.footprints, footprintOf(s.ws)) {
		fmt.Fprintf(&b, "  workspace %d at its end: %s\n", i+1, f)
	}
	s.t.Log(strings.TrimRight(b.String(), "\n"))
}
