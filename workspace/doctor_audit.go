package workspace

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/maphash"
	"maps"
	"slices"
	"strconv"
	"strings"

	"promptbench/storage"
)

// The audit trail is stored twice (storage/audit_time.go): each event under
// its append key, which `audit` and doctor read, and a copy under a
// time-ordered key, which exports, label histories and `audit --since`
// read. A copy without its event is a change that was undone (an import
// rolled back by a promptbench that left the copies) and yet goes on
// showing in exports, and a retried import adds it again; an event without
// its copy is missing from those readers.
const (
	ProblemAuditCopyOrphaned = "audit-copy-orphaned" // time-ordered copies that are no event's copy
	ProblemAuditCopyMissing  = "audit-copy-missing"  // events without their time-ordered copy
	ProblemAuditCopyDiffers  = "audit-copy-differs"  // copies whose bytes differ from their event's
)

// auditSum sums a hash of each (event, value) pair. The two indexes agree
// exactly when both hold the same pairs and every copy sits under the key
// its value gives, so on a healthy store a sequential read of each, with
// no lookup and no memory per event, proves it; only when the sums differ
// does doctor look every event and copy up to say which.
type auditSum struct {
	seed  maphash.Seed
	n     int
	sum   uint64
	stray bool // a copy under a key its own value does not give
}

func (s *auditSum) add(ref storage.AuditRef, val []byte) {
	var h maphash.Hash
	h.SetSeed(s.seed)
	var b [12]byte
	binary.BigEndian.PutUint64(b[:8], ref.Nanos)
	binary.BigEndian.PutUint32(b[8:], ref.Random)
	h.Write(b[:])
	h.Write(val)
	s.n++
	s.sum += h.Sum64()
}

// auditCopies compares the time-ordered copies with the events c.audit
// summed.
func (c *checker) auditCopies() error {
	copies := auditSum{seed: c.events.seed}
	err := c.tx.ScanAuditCopies(func(cp storage.AuditCopy, val []byte) error {
		if !cp.Holds(val) {
			copies.stray = true
		}
		copies.add(cp.Event, val)
		return nil
	})
	if err != nil {
		return err
	}
	c.counts.AuditCopies = copies.n
	if !copies.stray && copies.n == c.events.n && copies.sum == c.events.sum {
		return nil
	}
	return c.auditDisagreements()
}

// auditGroup gathers the events or copies of one kind of disagreement:
// one problem says how many, with a fix for each.
type auditGroup struct {
	kind    string
	first   string         // the append time of the first, for the message
	actions map[string]int // how many of each action
	fixes   []func(*storage.Tx) error
}

func (g *auditGroup) add(ref storage.AuditRef, val []byte, fix func(*storage.Tx) error) {
	if g.first == "" {
		g.first = ref.String()
	}
	if g.actions == nil {
		g.actions = map[string]int{}
	}
	g.actions[auditAction(val)]++
	g.fixes = append(g.fixes, fix)
}

// problem is the group as one problem: how many, and in Detail how many
// of each action ("label 3, commit 1").
func (g *auditGroup) problem() (Problem, bool) {
	n := len(g.fixes)
	if n == 0 {
		return Problem{}, false
	}
	var parts []string
	for _, a := range slices.Sorted(maps.Keys(g.actions)) {
		parts = append(parts, a+" "+strconv.Itoa(g.actions[a]))
	}
	return Problem{Kind: g.kind, ID: g.first, Count: n, Detail: strings.Join(parts, ", "),
		Repairable: true, fix: g.fixes[n-1], before: g.fixes[:n-1]}, true
}

// auditAction is the action an audit value names, "unknown" when it names
// none.
func auditAction(val []byte) string {
	var ev struct {
		Action string `json:"action"`
	}
	if json.Unmarshal(val, &ev) != nil || ev.Action == "" {
		return "unknown"
	}
	return ev.Action
}

// auditDisagreements looks every event's copy and every copy's event up,
// and reports what disagrees.
func (c *checker) auditDisagreements() error {
	missing := auditGroup{kind: ProblemAuditCopyMissing}
	differs := auditGroup{kind: ProblemAuditCopyDiffers}
	orphaned := auditGroup{kind: ProblemAuditCopyOrphaned}
	err := c.tx.ScanAuditEvents(func(ref storage.AuditRef, val []byte) error {
		cp, err := c.tx.GetAuditCopy(ref, val)
		switch {
		case errors.Is(err, storage.ErrNotFound):
			missing.add(ref, val, fixAuditCopy(ref))
		case err != nil:
			return err
		case !bytes.Equal(cp, val):
			differs.add(ref, val, fixAuditCopy(ref))
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = c.tx.ScanAuditCopies(func(cp storage.AuditCopy, val []byte) error {
		ev, err := c.tx.GetAuditEvent(cp.Event)
		switch {
		case errors.Is(err, storage.ErrNotFound):
		case err != nil:
			return err
		case cp.Holds(ev):
			return nil // its event's copy: compared above
		}
		orphaned.add(cp.Event, val, fixOrphanedCopy(cp))
		return nil
	})
	if err != nil {
		return err
	}
	for _, g := range []*auditGroup{&orphaned, &missing, &differs} {
		if p, ok := g.problem(); ok {
			c.add(p)
		}
	}
	return nil
}

// fixAuditCopy writes an event's time-ordered copy from the event, as it
// is when the repair runs.
func fixAuditCopy(ref storage.AuditRef) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		val, err := tx.GetAuditEvent(ref)
		if errors.Is(err, storage.ErrNotFound) {
			return nil // rolled back since: its copy is an orphan now
		}
		if err != nil {
			return err
		}
		return tx.PutAuditCopy(ref, val)
	}
}

// fixOrphanedCopy deletes a copy that is no event's copy, unless the event
// it names has come to be kept there since the check.
func fixOrphanedCopy(cp storage.AuditCopy) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		ev, err := tx.GetAuditEvent(cp.Event)
		switch {
		case err == nil && cp.Holds(ev):
			return nil
		case err != nil && !errors.Is(err, storage.ErrNotFound):
			return err
		}
		return tx.DeleteAuditCopy(cp)
	}
}
