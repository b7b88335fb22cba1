package exportfile

import "fmt"

// MaxSize is the largest import file, in bytes.
const MaxSize = 256 << 20

// Limits bound what an import file, which may come from anywhere, can
// make an import hold or do. Each is far above what a real library needs
// (a library of 10,000 prompts × 10 versions exports to about 42 MB), and
// a file past one is refused at the line where it goes past, before the
// rest is read. README lists them.
type Limits struct {
	Bytes             int64 // the whole file
	Prompts           int   // prompts in the file
	Versions          int   // versions in the file, all prompts together
	PromptVersions    int   // versions of one prompt
	Messages          int   // messages of one version
	Labels            int   // labels of one prompt
	LabelHistory      int   // recorded moves of one label
	Logs              int   // log entries
	Runs              int   // runs
	TextBytes         int   // one message text, description or commit message
	ItemBytes         int   // one version, log entry, run or prompt header, as written in the file; also one line
	SectionBytes      int   // schema, taxonomy, or a list written in flow style ([…])
	OtherLayoutBytes  int   // a whole file in another YAML layout than export's
	YAMLTokens        int   // tokens of one piece handed to the general YAML reader
	Indent            int   // leading spaces (and compact "- ") on one line
	FlowDepth         int   // nested [ and { in one piece
	SpillAfter        int   // bytes of new records kept in memory before they go to a temporary file
	OtherLayoutTokens int   // tokens of a whole file in another layout
}

// DefaultLimits are the limits import and served apply unless told otherwise.
func DefaultLimits() Limits {
	return Limits{
		Bytes:             MaxSize,
		Prompts:           100_000,
		Versions:          1_000_000,
		PromptVersions:    100_000,
		Messages:          1_000,
		Labels:            256,
		LabelHistory:      10_000,
		Logs:              1_000_000,
		Runs:              100_000,
		TextBytes:         1 << 20,
		ItemBytes:         8 << 20,
		SectionBytes:      1 << 20,
		OtherLayoutBytes:  8 << 20,
		YAMLTokens:        200_000,
		OtherLayoutTokens: 200_000,
		Indent:            1024,
		FlowDepth:         64,
		SpillAfter:        8 << 20,
	}
}

// SizeText says a size the way the limits are written: in MB when it is
// whole megabytes, else in bytes.
func SizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
