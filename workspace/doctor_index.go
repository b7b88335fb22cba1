package workspace

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"promptbench/storage"
)

// The secondary records doctor checks against the prompts and versions:
// keys outside the layout, the tag index, log entries, runs, the audit
// trail and the response cache.

func (c *checker) strayKeys() error {
	return c.tx.ScanStrayKeys(func(k storage.StrayKey) error {
		p := Problem{Kind: ProblemStrayKey, ID: k.Key, Detail: k.Reason}
		if k.Index {
			p.Repairable, p.fix = true, fixDeleteStray(k)
		}
		c.add(p)
		return nil
	})
}

// tagIndex checks the index both ways: every entry names a prompt carrying
// the tag, and every tag a prompt carries has its entry.
func (c *checker) tagIndex() error {
	err := c.tx.ScanTagIndex(func(tag, name string) error {
		c.counts.TagEntries++
		pc := c.prompts[name]
		switch {
		case pc != nil && !pc.hasRec && len(pc.numbers) > 0:
			// Versions without a record: the record rebuilt from them
			// gets these tags back.
			pc.indexTags = append(pc.indexTags, tag)
		case pc != nil && pc.hasRec && !pc.readable:
			// Nothing to compare with.
		case pc == nil || !pc.hasRec || !slices.Contains(pc.rec.Tags, tag):
			got := "no-prompt" // what the entry points at
			if pc != nil && pc.hasRec {
				got = "untagged"
			}
			c.add(Problem{Kind: ProblemTagDangling, Tag: tag, Prompt: name, Got: got, Repairable: true, fix: fixDeleteTag(tag, name)})
		default:
			if pc.seen == nil {
				pc.seen = map[string]bool{}
			}
			pc.seen[tag] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, pc := range c.sortedPrompts() {
		if !pc.readable {
			continue
		}
		for _, tag := range normalTags(pc.rec.Tags) {
			if !pc.seen[tag] && strings.IndexByte(tag, 0) < 0 {
				c.add(Problem{Kind: ProblemTagMissing, Tag: tag, Prompt: pc.name, Repairable: true, fix: fixPutTag(tag, pc.name)})
			}
		}
		pc.seen = nil
	}
	return nil
}

// runRecords checks each run decodes, is filed under its own id, and that
// the versions its variants ran still exist with the hash they had.
func (c *checker) runRecords() error {
	return c.tx.ScanRuns(func(id string, val []byte) error {
		if strings.IndexByte(id, 0) >= 0 {
			return nil // a stray key
		}
		c.counts.Runs++
		c.runs[id] = true
		c.checkUTF8(Problem{ID: id}, "run", val)
		var r Run
		if err := json.Unmarshal(val, &r); err != nil {
			c.add(Problem{Kind: ProblemRunUnreadable, ID: id, Detail: readError(val, err)})
			return nil
		}
		c.indexedRuns[id] = r.LogIndex
		if string(r.ID) != id {
			c.add(Problem{Kind: ProblemRunMismatch, ID: id, Field: "id", Want: id, Got: string(r.ID)})
		}
		for i, v := range r.Variants {
			at := Problem{Kind: ProblemRunMismatch, ID: id, Prompt: v.Prompt, Version: v.Version, Field: fmt.Sprintf("variants[%d]", i)}
			hash, exists := c.versionHash(v.Prompt, v.Version)
			if r := c.rehashOf(v.Prompt, v.Version); r != nil && (v.Hash == r.old || v.Hash == r.new) {
				if v.Hash == r.old {
					c.rehashAlso(r, fixRunHash(id, r.old, r.new))
				}
				continue
			}
			switch {
			case !exists && c.deleted[v.Prompt] && c.prompts[v.Prompt] == nil:
				// `rm` deleted the prompt on purpose; the run keeps its
				// results, and `report` shows them as they were.
			case !exists:
				at.Got = "missing"
				c.add(at)
			case v.Hash != "" && hash != "" && v.Hash != hash:
				at.Want, at.Got = hash, v.Hash
				c.add(at)
			}
		}
		return nil
	})
}

// versionHash tells whether a version exists and, when it can be read,
// its hash.
func (c *checker) versionHash(name string, n int) (string, bool) {
	pc := c.prompts[name]
	if pc == nil {
		return "", false
	}
	if _, ok := slices.BinarySearch(pc.numbers, n); !ok {
		return "", false
	}
	v, err := getVersion(c.tx, name, n)
	if err != nil {
		return "", true
	}
	return v.Hash, true
}

// logs checks each entry against its key, its version and its run. The
// version's hash is read once per run of entries of one version.
func (c *checker) logs() error {
	var at struct {
		name   string
		n      int
		hash   string
		exists bool
	}
	return c.tx.ScanAllLogs(func(name string, n int, id string, val []byte) error {
		c.counts.LogEntries++
		p := Problem{Prompt: name, Version: n, ID: id}
		if len(val) == 0 {
			p.Kind, p.Repairable, p.fix = ProblemLogEmpty, true, fixDeleteEmptyLog(name, n, id)
			c.add(p)
			return nil
		}
		c.checkUTF8(p, "log entry", val)
		var e LogEntry
		if err := json.Unmarshal(val, &e); err != nil {
			p.Kind, p.Detail = ProblemLogUnreadable, readError(val, err)
			c.add(p)
			return nil
		}
		c.noteRunEntry(e.Run, name, n, id)
		if at.name != name || at.n != n {
			at.name, at.n = name, n
			at.hash, at.exists = c.versionHash(name, n)
		}
		if !at.exists {
			p.Kind = ProblemLogOrphan
			c.add(p)
			return nil
		}
		c.checkLogFields(p, e, at.hash)
		return nil
	})
}

func (c *checker) checkLogFields(p Problem, e LogEntry, hash string) {
	if e.Prompt != p.Prompt {
		c.add(with(p, ProblemLogMismatch, "prompt", p.Prompt, e.Prompt))
	}
	if e.Version != p.Version {
		c.add(with(p, ProblemLogMismatch, "version", strconv.Itoa(p.Version), strconv.Itoa(e.Version)))
	}
	if e.ID != p.ID {
		c.add(with(p, ProblemLogMismatch, "id", p.ID, e.ID))
	}
	if r := c.rehashOf(p.Prompt, p.Version); r != nil {
		// The version's rehash updates the entry too; one a rehash cut
		// short already updated is fine.
		switch e.Hash {
		case r.old:
			c.rehashAlso(r, fixLogHash(p.Prompt, p.Version, p.ID, r.old, r.new))
			hash = r.old
		default:
			hash = r.new
		}
	}
	if hash != "" && e.Hash != "" && e.Hash != hash {
		c.add(with(p, ProblemLogMismatch, "hash", hash, e.Hash))
	}
	run, field := string(e.Run), "run"
	if run == "" {
		// Entries written before runs had their own field name the run
		// in their source.
		run, _ = strings.CutPrefix(e.Source, "eval:")
		field = "source"
		if run == e.Source {
			run = ""
		}
	}
	if run != "" && !c.runs[run] {
		c.add(with(p, ProblemLogRun, field, run, ""))
	}
}

func (c *checker) audit() error {
	return c.tx.ScanAuditEvents(func(ref storage.AuditRef, val []byte) error {
		c.counts.AuditEvents++
		c.events.add(ref, val)
		at := ref.String()
		c.checkUTF8(Problem{ID: at}, "audit event", val)
		var ev AuditEvent
		if err := json.Unmarshal(val, &ev); err != nil {
			c.add(Problem{Kind: ProblemAuditUnreadable, ID: at, Detail: readError(val, err)})
			return nil
		}
		if ev.Action == AuditDelete {
			c.deleted[ev.Prompt] = true
		}
		if pc := c.prompts[ev.Prompt]; ev.Action == AuditLabel && ev.Label != "" && pc != nil && !pc.hasRec {
			// The label moves of a prompt whose record is gone: the
			// latest of each is where the label pointed.
			if pc.auditLabels == nil {
				pc.auditLabels = map[string]int{}
			}
			pc.auditLabels[ev.Label] = ev.Version
		}
		return nil
	})
}

func (c *checker) cache() error {
	return c.tx.ScanCache(func(key string, val []byte) error {
		if strings.IndexByte(key, 0) >= 0 {
			return nil // a stray key
		}
		c.counts.CachedResponses++
		if !json.Valid(val) {
			c.add(Problem{Kind: ProblemCacheUnreadable, ID: key, Repairable: true, fix: fixDeleteCache(key)})
		}
		return nil
	})
}

// readError words a decoding failure; an empty record says so.
func readError(val []byte, err error) string {
	if len(val) == 0 {
		return "empty record"
	}
	return err.Error()
}
