package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"

	"promptbench/workspace"
)

// An old-layout store: what promptbench wrote before the audit trail's
// time-ordered keys (schema 1), each audit event under its append key only.
// The first read-write open by this promptbench upgrades it (schema 2).
// Written here with Badger itself, in the key layout of storage/keys.go:
//
//	m schema                       schema version (uint32)
//	a <unix nanos:8> <random:4>    audit event
var (
	oldSchemaKey = []byte("mschema")
	auditBaseAt  = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
)

// oldTrail is the audit trail of an old-layout store, in the order the
// events were appended. Each event's detail names it.
type oldTrail []workspace.AuditEvent

// inTime is the trail as promptbench shows it: by each event's own time,
// events of one time in the order they were appended.
func (tr oldTrail) inTime() []string {
	sorted := slices.Clone(tr)
	slices.SortStableFunc(sorted, func(a, b workspace.AuditEvent) int { return a.Time.Compare(b.Time) })
	return details(sorted)
}

func details(events []workspace.AuditEvent) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = ev.Detail
	}
	return out
}

// makeOldTrail makes n events as a team's library gathers them: commits,
// label moves and tags at times out of append order (an import writes a
// teammate's older events after ours), many sharing a second.
func makeOldTrail(rng *rand.Rand, n int) oldTrail {
	actions := []string{workspace.AuditCommit, workspace.AuditCommit, workspace.AuditCommit, workspace.AuditLabel, workspace.AuditTag, workspace.AuditImport}
	tr := make(oldTrail, n)
	for i := range tr {
		ev := workspace.AuditEvent{
			Time:   auditBaseAt.Add(time.Duration(rng.IntN(n/3+1)) * time.Second),
			Author: []string{"ann", "bob", "chandra"}[rng.IntN(3)],
			Action: actions[rng.IntN(len(actions))],
			Prompt: fmt.Sprintf("team/prompt-%04d", rng.IntN(2000)),
			Detail: fmt.Sprintf("event %06d", i),
		}
		switch ev.Action {
		case workspace.AuditCommit:
			ev.Version = 1 + rng.IntN(9)
		case workspace.AuditLabel:
			ev.Label, ev.Version = "production", 1+rng.IntN(9)
		}
		if rng.IntN(10) == 0 {
			ev.Time = ev.Time.Add(time.Duration(rng.IntN(1e9))) // some events carry nanoseconds
		}
		tr[i] = ev
	}
	return tr
}

// writeOldLayout turns the store of a freshly initialised workspace into
// an old-layout one holding tr.
func writeOldLayout(ws string, tr oldTrail) error {
	opts := badger.DefaultOptions(filepath.Join(ws, "store")).WithLogger(nil).
		WithMemTableSize(8 << 20).WithValueLogFileSize(16 << 20).WithNumMemtables(2).
		WithBaseTableSize(1 << 20).WithBaseLevelSize(2 << 20).WithLevelSizeMultiplier(8)
	db, err := badger.Open(opts)
	if err != nil {
		return err
	}
	wb := db.NewWriteBatch()
	defer wb.Cancel()
	for i, ev := range tr {
		val, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		k := []byte{'a'}
		k = binary.BigEndian.AppendUint64(k, uint64(auditBaseAt.Add(time.Duration(i)*time.Millisecond).UnixNano()))
		k = binary.BigEndian.AppendUint32(k, uint32(i*2654435761))
		if err := wb.Set(k, val); err != nil {
			return err
		}
	}
	if err := wb.Set(oldSchemaKey, binary.BigEndian.AppendUint32(nil, 1)); err != nil {
		return err
	}
	if err := wb.Flush(); err != nil {
		return err
	}
	return db.Close()
}

// copyTree copies the workspace folder src to dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(to)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
