package main

import (
	"fmt"
	"strconv"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// How doctor words each kind of problem: what is wrong, and what the user
// can do about the ones --repair leaves alone.

const restoreAdvice = "restore the workspace from a backup of its folder, or import an export file that holds the prompt (`promptbench import FILE`)"

// describeProblem says what is wrong, naming the prompt, version, label or
// key, and what the user can do about it.
func describeProblem(p workspace.Problem) (msg, todo string) {
	ref := versionRef(p)
	switch p.Kind {
	case workspace.ProblemImportJournal:
		return "import journal: an import was interrupted and is not rolled back yet",
			"run `promptbench doctor --repair` (the next command that writes rolls it back too)"
	case workspace.ProblemExperiment:
		return fmt.Sprintf("experiment %s: %s", safe(p.ID), safe(p.Detail)),
			"the experiment's record no longer matches the library: stop it (`promptbench ab stop " + safe(p.ID) + "`) and start a new one, or " + restoreAdvice
	case workspace.ProblemStrayKey:
		msg = fmt.Sprintf("key %s: %s", safe(p.ID), safe(p.Detail))
		if p.Repairable {
			return msg, "run `promptbench doctor --repair`: it is an index entry (of the tag or run index), and removing it loses nothing"
		}
		return msg, "doctor leaves it alone: a newer promptbench may have written it; if none did, it is damage that no command reads"
	case workspace.ProblemPromptUnreadable:
		return fmt.Sprintf("prompt %s: its record cannot be read (%s)", safe(p.Prompt), safe(p.Detail)), restoreAdvice
	case workspace.ProblemPromptMissing:
		return fmt.Sprintf("prompt %s: %s versions but no prompt record, so no command finds it", safe(p.Prompt), safe(p.Got)),
			"run `promptbench doctor --repair`: it rebuilds the record from the versions"
	case workspace.ProblemPromptNoVersions:
		return fmt.Sprintf("prompt %s: a record but no versions", safe(p.Prompt)),
			fmt.Sprintf("commit a version to it (`promptbench commit %s --file FILE`), or %s", safe(p.Prompt), restoreAdvice)
	case workspace.ProblemPromptField:
		return fmt.Sprintf("prompt %s: %s is %s, its versions say %s", safe(p.Prompt), p.Field, quoted(safe(p.Got)), quoted(safe(p.Want))),
			"run `promptbench doctor --repair`"
	case workspace.ProblemVersionMissing:
		return fmt.Sprintf("%s: missing, though the prompt has versions up to %s", ref, safe(p.Want)),
			"refs to it fail; " + restoreAdvice
	case workspace.ProblemVersionUnreadable:
		return fmt.Sprintf("%s: its record cannot be read (%s)", ref, safe(p.Detail)), restoreAdvice
	case workspace.ProblemVersionMisfiled:
		return fmt.Sprintf("%s: the record says %s %s", ref, p.Field, quoted(safe(p.Got))),
			"doctor leaves it where it is; `promptbench show " + ref + "` shows what it holds; " + restoreAdvice
	case workspace.ProblemVersionParent:
		return fmt.Sprintf("%s: parent %s cannot be (version 1 has none, version N one of 1 to N-1 or none)", ref, safe(p.Got)),
			"history shows the version without its parent; " + restoreAdvice
	case workspace.ProblemHashMismatch:
		return fmt.Sprintf("%s: content hash mismatch: recorded %s, the content hashes to %s", ref, short(p.Got), short(p.Want)),
			fmt.Sprintf("the version was changed after it was committed, so its hash no longer names it and `export` refuses it (`export --prompt NAME` exports the other prompts); doctor keeps it as it is. Compare `promptbench show %s` with an export or backup of the workspace; restore the backup, or commit the content you want as a new version and move its labels there (`promptbench label %s@N LABEL`)", ref, safe(p.Prompt))
	case workspace.ProblemVariables:
		return fmt.Sprintf("%s: variables recorded as [%s], the templates use [%s]", ref, safe(p.Got), safe(p.Want)),
			"run `promptbench doctor --repair`"
	case workspace.ProblemTemplate:
		return fmt.Sprintf("%s: the messages do not parse: %s", ref, safe(p.Detail)),
			fmt.Sprintf("commit a corrected version of %s and move its labels there", safe(p.Prompt))
	case workspace.ProblemLabelDangling:
		return fmt.Sprintf("%s@%s: points at version %d, which does not exist", safe(p.Prompt), safe(p.Label), p.Version),
			fmt.Sprintf("point it at an existing version: `promptbench label %s@N %s` (`promptbench history %s` lists them)", safe(p.Prompt), safe(p.Label), safe(p.Prompt))
	case workspace.ProblemIncludeBroken:
		used := "latest version"
		if p.Label != "" {
			used = "labelled " + safe(p.Label)
		}
		return fmt.Sprintf("%s (%s): %s", ref, used, safe(p.Detail)),
			fmt.Sprintf("commit or label the included prompt (`promptbench label OTHER@N production`), or commit a version of %s without the include", safe(p.Prompt))
	case workspace.ProblemInvalidUTF8:
		if p.Want != "" {
			// Content an older binary let in: see workspace.replacedUTF8.
			return fmt.Sprintf("%s: committed with invalid UTF-8 (%s, byte %s), stored as the replacement character U+FFFD, so the content now hashes to %s, not to its recorded hash, and export refuses the library", ref, p.Field, safe(p.Got), short(p.Want)),
				"run `promptbench doctor --repair`: it records the hash of the text as stored (the original bytes are lost either way)"
		}
		return fmt.Sprintf("%s: invalid UTF-8 at byte %s of its %s", subject(p), safe(p.Got), p.Field),
			"the text shows replacement characters; commit a corrected version, or " + restoreAdvice
	case workspace.ProblemTagDangling:
		what := "a prompt without the tag"
		if p.Got == "no-prompt" {
			what = "a prompt that does not exist"
		}
		return fmt.Sprintf("tag index %s → %s: entry for %s", safe(p.Tag), safe(p.Prompt), what),
			"run `promptbench doctor --repair`"
	case workspace.ProblemTagMissing:
		return fmt.Sprintf("tag index %s → %s: missing, so `list --tag %s` leaves %s out", safe(p.Tag), safe(p.Prompt), safe(p.Tag), safe(p.Prompt)),
			"run `promptbench doctor --repair`"
	case workspace.ProblemLogEmpty:
		return fmt.Sprintf("log entry %s of %s: the key holds no entry", safe(p.ID), ref), "run `promptbench doctor --repair`"
	case workspace.ProblemLogUnreadable:
		return fmt.Sprintf("log entry %s of %s: cannot be read (%s)", safe(p.ID), ref, safe(p.Detail)),
			"doctor keeps it; `logs` and exports skip nothing else because of it, but cannot show it"
	case workspace.ProblemLogOrphan:
		return fmt.Sprintf("log entry %s of %s: filed under a version that does not exist", safe(p.ID), ref),
			"doctor keeps it (it holds a model call's record); no command shows it until the version is restored: " + restoreAdvice
	case workspace.ProblemLogMismatch:
		return fmt.Sprintf("log entry %s of %s: its %s is %s, its key or version says %s", safe(p.ID), ref, p.Field, quoted(safe(p.Got)), quoted(safe(p.Want))),
			"doctor keeps it as it is; treat its scores with care"
	case workspace.ProblemLogRun:
		return fmt.Sprintf("log entry %s of %s: names run %s, which is not in the store", safe(p.ID), ref, safe(p.Want)),
			"doctor keeps it; its run's summary is gone, the entry itself is intact"
	case workspace.ProblemRunUnreadable:
		return fmt.Sprintf("run %s: cannot be read (%s)", safe(p.ID), safe(p.Detail)), "doctor keeps it; " + restoreAdvice
	case workspace.ProblemRunMismatch:
		if p.Field == "id" {
			return fmt.Sprintf("run %s: filed under that id, but its record says %s", safe(p.ID), quoted(safe(p.Got))),
				"doctor keeps it; `promptbench report` may not find it under either id"
		}
		if p.Got == "missing" {
			return fmt.Sprintf("run %s: %s ran %s, which does not exist", safe(p.ID), p.Field, ref),
				"doctor keeps the run and its results; " + restoreAdvice
		}
		return fmt.Sprintf("run %s: %s ran %s with hash %s, but that version now hashes %s", safe(p.ID), p.Field, ref, short(p.Got), short(p.Want)),
			"the version was changed after the run; treat the run's results as those of the old content"
	case workspace.ProblemAuditUnreadable:
		return fmt.Sprintf("audit event at %s: cannot be read (%s)", safe(p.ID), safe(p.Detail)),
			"the audit trail is append-only, so doctor keeps it"
	case workspace.ProblemCacheUnreadable:
		return fmt.Sprintf("cached response %s: cannot be read", safe(p.ID)), "run `promptbench doctor --repair`"
	case workspace.ProblemAuditCopyOrphaned:
		return fmt.Sprintf("audit trail: %s of events that are not in the trail (%s; the first appended at %s): changes undone by the rollback of an interrupted import, whose copies an older promptbench left behind; exports, label histories and review checks still show them, and a retried import adds them again", copies(p.Count), safe(p.Detail), safe(p.ID)),
			"run `promptbench doctor --repair`: it deletes these copies (their events were undone); every event in the trail keeps its own"
	case workspace.ProblemAuditCopyMissing:
		return fmt.Sprintf("audit trail: %s without %s (%s; the first appended at %s): exports, label histories and review checks leave them out", plural(p.Count, "event"), pick(p.Count, "its time-ordered copy", "their time-ordered copies"), safe(p.Detail), safe(p.ID)),
			"run `promptbench doctor --repair`: it writes the copies from the events"
	case workspace.ProblemAuditCopyDiffers:
		return fmt.Sprintf("audit trail: %s whose time-ordered copy differs from the event (%s; the first appended at %s): exports, label histories and review checks read the copy", plural(p.Count, "event"), safe(p.Detail), safe(p.ID)),
			"run `promptbench doctor --repair`: it rewrites the copies from the events"
	case workspace.ProblemRunIndexDangling:
		return fmt.Sprintf("run %s: its index lists %s of %s that %s not in the store (left by a rename, delete or rolled-back import of an older promptbench; reports pass over them)", safe(p.ID), plural(p.Count, "log entry"), safe(p.Prompt), pick(p.Count, "is", "are")),
			"run `promptbench doctor --repair`: it removes the index keys (the entries are gone already)"
	case workspace.ProblemRunIndexMissing:
		return fmt.Sprintf("run %s: %s of %s missing from the run's index, so `promptbench report %s` and `--resume` leave %s out", safe(p.ID), plural(p.Count, "log entry"), safe(p.Prompt), safe(p.ID), pick(p.Count, "it", "them")),
			"run `promptbench doctor --repair`: it lists them in the index"
	}
	return fmt.Sprintf("%s: %s %s", p.Kind, subject(p), safe(p.Detail)), "see `promptbench doctor --help`"
}

// fixAction says what --repair did to fix p, and what it would do.
func fixAction(p workspace.Problem) (done, will string) {
	switch p.Kind {
	case workspace.ProblemImportJournal:
		return "rolled back the interrupted import", "rolls back the interrupted import"
	case workspace.ProblemStrayKey:
		return "removed the stray index key", "removes the stray index key"
	case workspace.ProblemPromptMissing:
		return "rebuilt the prompt record from its versions, the tag index and the label moves in the audit trail (its description was lost with the record: set it with `promptbench tag " + safe(p.Prompt) + " --description TEXT`)",
			"rebuilds the prompt record from its versions, the tag index and the audit trail"
	case workspace.ProblemPromptField:
		return fmt.Sprintf("set %s to %s", p.Field, quoted(safe(p.Want))), fmt.Sprintf("sets %s to %s", p.Field, quoted(safe(p.Want)))
	case workspace.ProblemVariables:
		return fmt.Sprintf("set the variables to [%s]", safe(p.Want)), fmt.Sprintf("sets the variables to [%s]", safe(p.Want))
	case workspace.ProblemInvalidUTF8:
		return fmt.Sprintf("recorded %s, the hash of the text as stored, as the version's hash, and in its log entries and runs; the library exports again. The text keeps its U+FFFD: if the character mattered, commit the corrected text as a new version", short(p.Want)),
			"records the hash of the text as stored as the version's hash"
	case workspace.ProblemTagDangling:
		return "removed the entry", "removes the entry"
	case workspace.ProblemTagMissing:
		return "added the entry", "adds the entry"
	case workspace.ProblemLogEmpty:
		return "removed the empty key", "removes the empty key"
	case workspace.ProblemCacheUnreadable:
		return "removed it (the next identical call is made again)", "removes it (a cache only)"
	case workspace.ProblemAuditCopyOrphaned:
		return "deleted " + pick(p.Count, "it", "them") + "; exports and label histories no longer show the undone changes", "deletes " + pick(p.Count, "it", "them")
	case workspace.ProblemAuditCopyMissing:
		return "wrote " + pick(p.Count, "it", "them") + " from the events", "writes " + pick(p.Count, "it", "them") + " from the events"
	case workspace.ProblemAuditCopyDiffers:
		return "rewrote " + pick(p.Count, "it", "them") + " from the events", "rewrites " + pick(p.Count, "it", "them") + " from the events"
	case workspace.ProblemRunIndexDangling:
		return "removed the index " + pick(p.Count, "key", "keys"), "removes the index " + pick(p.Count, "key", "keys")
	case workspace.ProblemRunIndexMissing:
		return "listed " + pick(p.Count, "it", "them") + " in the run's index", "lists " + pick(p.Count, "it", "them") + " in the run's index"
	}
	return "fixed", "fixes it"
}

// subject names what a problem is about, for the kinds that may concern
// any record.
func subject(p workspace.Problem) string {
	switch {
	case p.Prompt != "" && p.Version > 0 && p.ID != "":
		return fmt.Sprintf("log entry %s of %s", safe(p.ID), versionRef(p))
	case p.Prompt != "" && p.Version > 0:
		return versionRef(p)
	case p.Prompt != "":
		return "prompt " + safe(p.Prompt)
	case p.ID != "":
		return safe(p.ID)
	}
	return "store"
}

// safe cleans text that came out of the store before it reaches the
// terminal: a damaged record may hold anything.
func safe(s string) string { return termtext.Sanitize(s) }

func versionRef(p workspace.Problem) string {
	return safe(p.Prompt) + "@" + strconv.Itoa(p.Version)
}

func short(hash string) string {
	if len(hash) > 12 {
		hash = hash[:12]
	}
	return safe(hash)
}

func quoted(s string) string {
	if s == "" {
		return "empty"
	}
	return strconv.Quote(s)
}

// copies counts time-ordered copies of audit events.
func copies(n int) string {
	return strconv.Itoa(n) + " time-ordered " + pick(n, "copy", "copies")
}

// pick is one or other by n.
func pick(n int, one, other string) string {
	if n == 1 {
		return one
	}
	return other
}
