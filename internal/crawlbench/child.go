package crawlbench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/pprof"
	"runtime/trace"
	"strings"
)

// The child protocol. RunChild starts the test binary with
// -test.run=^TestCrawlBenchChild$ and these variables in its environment; the
// binary's TestCrawlBenchChild calls ServeChild, which runs the mode and prints
// one line "crawlbench-result: {JSON Result}" (or "crawlbench-error: message") on
// stdout, among whatever the testing package prints.
const (
	// EnvChildMode names the mode the child runs; its presence makes the test
	// binary a child.
	EnvChildMode = "NEWSARCHIVE_CRAWLBENCH_CHILD"
	// EnvChildArgs holds the mode's arguments as a JSON object of strings.
	EnvChildArgs = "NEWSARCHIVE_CRAWLBENCH_ARGS"

	// ArgCPUProfile is the argument that makes ServeChild write a CPU profile
	// of the mode's run to the file it names.
	ArgCPUProfile = "cpuprofile"

	// ArgTrace is the argument that makes ServeChild write an execution trace
	// (runtime/trace) of the mode's run to the file it names.
	ArgTrace = "trace"

	// ChildTestName is the test every test binary that uses RunChild must
	// define; it calls ServeChild.
	ChildTestName = "TestCrawlBenchChild"

	resultPrefix = "crawlbench-result: "
	errorPrefix  = "crawlbench-error: "
)

// ModeFunc runs one crawler in a child process. It may measure Elapsed and CPU
// itself (with StartMeter, to leave out its own setup); when it leaves both zero,
// ServeChild measures the whole call.
type ModeFunc func(ctx context.Context, args map[string]string) (Result, error)

// ChildMode returns the mode this process was started to run by RunChild, and
// whether it is such a child at all. TestCrawlBenchChild skips itself when ok is
// false.
func ChildMode() (mode string, ok bool) {
	mode = os.Getenv(EnvChildMode)
	return mode, mode != ""
}

// RunChild runs mode in a child process and returns its Result, whose MaxRSS is
// the child's peak resident set size: the peak memory of that crawl alone, not of
// the parent (which may serve the test site) nor of the modes run before it.
//
// The child is this very test binary (os.Args[0]) re-executed with
// -test.run=^TestCrawlBenchChild$ and the mode and args in its environment
// (EnvChildMode, EnvChildArgs), so the binary must define
//
//	func TestCrawlBenchChild(t *testing.T) {
//		if _, ok := crawlbench.ChildMode(); !ok {
//			t.Skip("run by RunChild only")
//		}
//		if err := crawlbench.ServeChild(context.Background(), os.Stdout, modes); err != nil {
//			t.Fatal(err)
//		}
//	}
//
// with modes mapping mode names to ModeFuncs. args are passed through to the
// ModeFunc; ArgCPUProfile and ArgTrace among them make the child write a CPU
// profile or an execution trace of the run. The child's stderr is passed through
// to os.Stderr. Cancelling ctx kills the child.
func RunChild(ctx context.Context, mode string, args map[string]string) (Result, error) {
	if mode == "" {
		return Result{}, errors.New("crawlbench: empty mode")
	}
	argJSON, err := json.Marshal(args)
	if err != nil {
		return Result{}, fmt.Errorf("crawlbench: encode args: %w", err)
	}
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+ChildTestName+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), EnvChildMode+"="+mode, EnvChildArgs+"="+string(argJSON))
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = os.Stderr
	runErr := cmd.Run()

	res, found, perr := parseChildOutput(&stdout)
	switch {
	case perr != nil:
		return Result{}, fmt.Errorf("crawlbench: child %s: %w", mode, perr)
	case found && runErr == nil:
		return res, nil
	case runErr != nil:
		return Result{}, fmt.Errorf("crawlbench: child %s: %w\n%s", mode, runErr, tail(stdout.String(), 4096))
	default:
		return Result{}, fmt.Errorf("crawlbench: child %s printed no result (does the test binary define %s?)\n%s",
			mode, ChildTestName, tail(stdout.String(), 4096))
	}
}

// parseChildOutput finds the result or error line in a child's stdout.
func parseChildOutput(r io.Reader) (res Result, found bool, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if msg, ok := strings.CutPrefix(line, errorPrefix); ok {
			return Result{}, false, errors.New(msg)
		}
		if js, ok := strings.CutPrefix(line, resultPrefix); ok {
			if err := json.Unmarshal([]byte(js), &res); err != nil {
				return Result{}, false, fmt.Errorf("decode result: %w", err)
			}
			found = true
		}
	}
	return res, found, sc.Err()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// ServeChild is the child side of RunChild: it runs the mode named in the
// environment with its arguments, sets the Result's MaxRSS from
// getrusage(RUSAGE_SELF) after the run, and prints the result line to w (the
// test's os.Stdout). A mode that fails is reported both on w (so RunChild
// returns its message) and as the returned error.
func ServeChild(ctx context.Context, w io.Writer, modes map[string]ModeFunc) error {
	mode, ok := ChildMode()
	if !ok {
		return fmt.Errorf("crawlbench: not a child (%s is not set)", EnvChildMode)
	}
	res, err := serveChild(ctx, mode, modes)
	if err != nil {
		fmt.Fprintf(w, "\n%s%s\n", errorPrefix, oneLine(err.Error()))
		return err
	}
	js, err := json.Marshal(res)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "\n%s%s\n", resultPrefix, js)
	return err
}

func serveChild(ctx context.Context, mode string, modes map[string]ModeFunc) (Result, error) {
	run, ok := modes[mode]
	if !ok {
		return Result{}, fmt.Errorf("unknown mode %q", mode)
	}
	args := map[string]string{}
	if s := os.Getenv(EnvChildArgs); s != "" {
		if err := json.Unmarshal([]byte(s), &args); err != nil {
			return Result{}, fmt.Errorf("decode %s: %w", EnvChildArgs, err)
		}
	}
	if path := args[ArgCPUProfile]; path != "" {
		f, err := os.Create(path)
		if err != nil {
			return Result{}, fmt.Errorf("cpu profile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return Result{}, fmt.Errorf("cpu profile: %w", err)
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	if path := args[ArgTrace]; path != "" {
		f, err := os.Create(path)
		if err != nil {
			return Result{}, fmt.Errorf("trace: %w", err)
		}
		if err := trace.Start(f); err != nil {
			f.Close()
			return Result{}, fmt.Errorf("trace: %w", err)
		}
		defer func() {
			trace.Stop()
			f.Close()
		}()
	}
	m := StartMeter()
	res, err := run(ctx, args)
	if err != nil {
		return Result{}, err
	}
	if res.Elapsed == 0 && res.CPU == 0 {
		res = m.Stop(res)
	}
	res.MaxRSS = peakRSS()
	return res, nil
}

func oneLine(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "\n", " | ")
}
