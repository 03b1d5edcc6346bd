// Command newsarchive crawls news sites, extracts every article into a structured
// record and keeps a faithful, queryable SQLite archive of it.
//
// Usage:
//
//	newsarchive <command> [flags] [arguments]
//
// Run `newsarchive --help` for the list of commands and `newsarchive <command>
// --help` for each command's flags, examples and exit status.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/newsarchive/newsarchive/archive"
)

// Exit codes, mapped in one place (restic's convention).
const (
	exitOK          = 0   // success
	exitError       = 1   // the command failed
	exitUsage       = 2   // bad flags or arguments
	exitPartial     = 3   // finished, but some inputs failed
	exitInterrupted = 130 // stopped by Ctrl-C
)

// errUsage marks an error as a usage error (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errPartial is returned by a command that finished but with some failed inputs.
var errPartial = errors.New("finished with failures")

// env is what a command needs from the process: streams, environment and logger.
// Commands never touch os.Stdout/os.Stderr directly, so tests can run them in
// process.
type env struct {
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// isTTY reports whether stderr is a terminal (progress display).
	isTTY bool
	// hardStop is cancelled by a second Ctrl-C: abandon in-flight work at once.
	hardStop context.Context
	// term, when stderr is a terminal, carries log lines and the live progress
	// line without garbling one with the other.
	term *termWriter
	// warmSearch is serve's background warm-up of the search structures
	// (nil: the archive's WarmSearch); tests replace it to hold it running.
	warmSearch func(ctx context.Context, store archive.Reader) ([]string, error)
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"crawl", "crawl a site into the archive", runCrawl},
		{"watch", "keep watching a site: new articles, edits, unpublished and moved ones", runWatch},
		{"demo", "serve the bundled fixture site on loopback, crawl and archive it", runDemo},
		{"extract", "print the article record of saved pages or URLs", runExtract},
		{"eval", "score extraction against an article-body or metadata benchmark", runEval},
		{"show", "print an archived article (by id or URL)", runShow},
		{"changes", "list edits and events of archived articles, newest first", runChanges},
		{"stats", "summarise an archive", runStats},
		{"search", "full-text search of the archived articles", runSearch},
		{"export", "export articles or the related-link graph as JSONL or CSV", runExport},
		{"sql", "run a read-only SQL query on the archive", runSQL},
		{"serve", "browse and search the archive in a web browser", runServe},
		{"import", "import WARC files (any crawler's) into the archive", runImport},
		{"reextract", "re-run the extractor over the archived raw pages", runReextract},
		{"copy", "copy an archive between SQLite files and PostgreSQL (resumable)", runCopy},
	}
}

func main() {
	os.Exit(realMain(os.Args[1:]))
}

func realMain(args []string) int {
	// First Ctrl-C cancels ctx (finish in-flight work); the second cancels
	// hardStop (abandon it); a third is left to the default handler.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hard, hardCancel := context.WithCancel(context.Background())
	defer hardCancel()
	e := &env{
		stdout:   os.Stdout,
		stderr:   os.Stderr,
		getenv:   os.Getenv,
		isTTY:    isTerminal(os.Stderr),
		hardStop: hard,
	}
	if e.isTTY {
		e.term = &termWriter{w: os.Stderr}
	}
	var errw io.Writer = os.Stderr
	if e.term != nil {
		errw = e.term
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	note := interruptNote(args)
	go func() {
		<-sigs
		fmt.Fprintln(errw, "newsarchive: interrupted; "+note)
		cancel()
		<-sigs
		fmt.Fprintln(errw, "newsarchive: stopping now")
		hardCancel()
		signal.Stop(sigs)
	}()
	return run(ctx, e, args)
}

// interruptNote is what the first Ctrl-C does, for the command in args.
func interruptNote(args []string) string {
	if len(args) > 0 {
		switch args[0] {
		case "sql":
			return "stopping the query"
		case "serve":
			return "stopping the server"
		}
	}
	return "finishing in-flight pages (Ctrl-C again to stop now)"
}

// run dispatches to a subcommand and maps its error to an exit status.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(e.stdout, "newsarchive", version)
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		return exitStatus(e, c.name, err)
	}
	fmt.Fprintf(e.stderr, "newsarchive: unknown command %q (run 'newsarchive --help')\n", args[0])
	return exitUsage
}

func exitStatus(e *env, name string, err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "newsarchive %s: %s (run 'newsarchive %s --help')\n", name, oneLine(ue.msg), name)
		return exitUsage
	case errors.Is(err, errInterrupted):
		msg := "interrupted; run the same command again to resume"
		if err != errInterrupted {
			msg = oneLine(err.Error()) // the command said what was stopped
		}
		fmt.Fprintf(e.stderr, "newsarchive %s: %s\n", name, msg)
		return exitInterrupted
	case errors.Is(err, errPartial):
		fmt.Fprintf(e.stderr, "newsarchive %s: %s\n", name, oneLine(err.Error()))
		return exitPartial
	default:
		fmt.Fprintf(e.stderr, "newsarchive %s: %s\n", name, oneLine(err.Error()))
		return exitError
	}
}

// errInterrupted is returned by a command stopped by Ctrl-C.
var errInterrupted = errors.New("interrupted")

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "newsarchive %s: crawl news sites into a faithful, queryable archive\n\n", version)
	fmt.Fprintln(w, "Usage: newsarchive <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'newsarchive <command> --help' for a command's flags and examples.")
	fmt.Fprintln(w, "Quick start: newsarchive demo")
}

// newFlagSet makes a flag set whose usage text carries examples and exit status.
func newFlagSet(e *env, name, synopsis, examples string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: newsarchive %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
		if examples != "" {
			fmt.Fprintf(out, "\nExamples:\n%s", examples)
		}
		fmt.Fprint(out, "\nExit status: 0 ok, 1 error, 2 usage, 3 finished with failures, 130 interrupted.\n")
	}
	return fs
}

// parseFlags parses args; -h prints usage to stdout and returns flag.ErrHelp.
func parseFlags(e *env, fs *flag.FlagSet, args []string) error {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return flag.ErrHelp
		}
		if a == "--" {
			break
		}
	}
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	return nil
}

// newLogger makes the structured logger on stderr: text for people, JSON with
// --json, warnings only with --quiet.
func newLogger(e *env, quiet, jsonLogs bool) *slog.Logger {
	level := slog.LevelInfo
	if quiet {
		level = slog.LevelWarn
	}
	return newLevelLogger(e, level, jsonLogs)
}

// newLevelLogger is newLogger with an explicit level.
func newLevelLogger(e *env, level slog.Level, jsonLogs bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var w io.Writer = e.stderr
	if e.term != nil {
		w = e.term
	}
	if jsonLogs {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// dbFlagHelp is the help of every command's --db flag.
const dbFlagHelp = "archive: a SQLite file or a postgres:// URL (default $NEWSARCHIVE_DB or newsarchive.db)"

// isPostgres reports whether an archive location (a --db value) names a
// PostgreSQL database (postgres:// or postgresql:// URL) rather than a
// SQLite file.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// dbPath resolves the archive location: the flag, then NEWSARCHIVE_DB, then
// the default. It may be a SQLite file or a postgres:// URL (isPostgres).
func dbPath(e *env, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := e.getenv("NEWSARCHIVE_DB"); v != "" {
		return v
	}
	return "newsarchive.db"
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	return fi.Mode()&os.ModeCharDevice != 0
}
