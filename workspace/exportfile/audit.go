package exportfile

// Audit is one event of an export file's audit section (the library's
// audit trail; reviews are events too), as export writes it.
type Audit struct {
	Time        string `yaml:"time"`
	Author      string `yaml:"author"`
	Action      string `yaml:"action"`
	Prompt      string `yaml:"prompt"`
	Version     int    `yaml:"version"`
	Label       string `yaml:"label"`
	From        int    `yaml:"from"`
	RenamedFrom string `yaml:"renamed_from"`
	Review      string `yaml:"review"`
	Forced      bool   `yaml:"forced"`
	Hash        string `yaml:"hash"`
	Detail      string `yaml:"detail"`
}

// FastAudit reads one "- time: …" item of the audit section in export's
// layout; ok is false when the text is outside the fast reader's subset.
func FastAudit(text []byte) (fa Audit, ok bool) {
	n, ok := fastItem(text)
	if !ok || n.kind != 'm' {
		return fa, false
	}
	for i, k := range n.keys {
		v := n.vals[i]
		var num int64
		switch k {
		case "time":
			fa.Time, ok = v.scalar()
		case "author":
			fa.Author, ok = v.scalar()
		case "action":
			fa.Action, ok = v.scalar()
		case "prompt":
			fa.Prompt, ok = v.scalar()
		case "label":
			fa.Label, ok = v.scalar()
		case "renamed_from":
			fa.RenamedFrom, ok = v.scalar()
		case "review":
			fa.Review, ok = v.scalar()
		case "hash":
			fa.Hash, ok = v.scalar()
		case "detail":
			fa.Detail, ok = v.scalar()
		case "version":
			num, ok = v.integer()
			fa.Version = int(num)
		case "from":
			num, ok = v.integer()
			fa.From = int(num)
		case "forced":
			ok = v.kind == 's' && v.plain && (v.str == "true" || v.str == "false")
			fa.Forced = v.str == "true"
		default:
			return fa, false
		}
		if !ok {
			return fa, false
		}
	}
	return fa, true
}
