package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Handing the store over between processes. Badger's directory lock is a
// flock that waiting processes poll, so it is not fair: a process that
// writes again and again (an evaluation's batches of log entries) and
// keeps the store open between its writes would take it back the moment
// it let go, and a command in another terminal could wait for seconds.
// So a process that finds the store busy leaves a wait file beside the
// lock info while it waits (removed once its Open returns); the holder
// asks Wanted between its writes and closes, and an Open with
// Options.GiveWay lets the processes already waiting go first.

// waitSuffix ends a wait file's name: <pid>-<random>.wait in holdersDir.
const waitSuffix = ".wait"

// giveWayMax bounds how long an Open with GiveWay lets others go first:
// a waiter stuck behind a third process must not stall it for good.
const giveWayMax = 2 * time.Second

// announceWait records that this process waits for the store and returns
// the file to remove when it stops waiting, or "" when it could not be
// written (a courtesy, as lock info is).
func announceWait(dir string) string {
	hdir := filepath.Join(dir, holdersDir)
	if err := os.MkdirAll(hdir, 0o755); err != nil {
		return ""
	}
	name := filepath.Join(hdir, fmt.Sprintf("%d-%08x%s", os.Getpid(), rand.Uint32(), waitSuffix))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return ""
	}
	_ = f.Close()
	return name
}

// othersWaiting reports whether another live process waits for the store
// in dir. The wait files of processes killed while waiting are ignored
// (and removed by the next lock info written), and so are those whose pid
// a later process took.
func othersWaiting(dir string) bool {
	entries, err := os.ReadDir(filepath.Join(dir, holdersDir))
	if err != nil {
		return false
	}
	self := os.Getpid()
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), waitSuffix)
		if !ok {
			continue
		}
		pidText, _, _ := strings.Cut(name, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == self || !alive(pid) {
			continue
		}
		// A process that reused the pid of a killed waiter started after
		// its file was written: it waits for nothing. (Where the system
		// gives no start time, a live pid is taken at its word.)
		info, err := e.Info()
		if err != nil {
			continue
		}
		if start := processStart(pid); start.IsZero() || start.Before(info.ModTime().Add(2*time.Second)) {
			return true
		}
	}
	return false
}

// Wanted reports whether another process waits for this store: a process
// that keeps the store open between operations closes it then.
func (s *Store) Wanted() bool { return othersWaiting(s.dir) }

// giveWay waits, for at most limit, while other processes wait for the
// store in dir, so that they get it before this one opens it again.
func giveWay(ctx context.Context, dir string, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for othersWaiting(dir) && time.Now().Before(deadline) {
		t := time.NewTimer(2 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
