using MinRnn.Cli;
using MinRnn.Cli.Commands;
using MinRnn.Runtime;
using MinRnn.Training;

MinRnn.Sweeps.ParentDeath.Follow();
MinRnn.Runtime.AllocatorTuning.Apply();
return Cli.Run(args);

namespace MinRnn.Cli
{
    /// <summary>`minrnn COMMAND [options]`: bad input (options, values, and files or run folders the user named that are
    /// corrupt or foreign: BadFileException) → one line on stderr and exit 2; a failed run → exit 1.</summary>
    public static class Cli
    {
        private static readonly (string Name, string Summary, string Usage, OptionSet Options, Func<string[], int> Run)[] Commands =
        [
            ("train", "train one model on a task: generated, text, your rows or series", TrainCommand.Usage, TrainCommand.Options, TrainCommand.Run),
            ("eval", "re-evaluate a run's checkpoint (also at other lengths)", EvalCommand.Usage, EvalCommand.Options, EvalCommand.Run),
            ("data", "write a generated task's examples as .jsonl or .csv", DataCommand.Usage, DataCommand.Options, DataCommand.Run),
            ("export", "write a run's model as ONNX (verified against TorchSharp) or safetensors", ExportCommand.Usage, ExportCommand.Options, ExportCommand.Run),
            ("generate", "stream text from a char-lm checkpoint or ONNX file", GenerateCommand.Usage, GenerateCommand.Options, GenerateCommand.Run),
            ("predict", "run a checkpoint or an ONNX model on token sequences from JSON", PredictCommand.Usage, PredictCommand.Options, PredictCommand.Run),
            ("forecast", "the next H values of a series from a forecast run, with backtest and intervals", ForecastCommand.Usage, ForecastCommand.Options, ForecastCommand.Run),
            ("study", "the whole comparison: default sweep, then compare", StudyCommand.Usage, StudyCommand.Options, StudyCommand.Run),
            ("sweep", "a grid of runs: resumable, parallel, sharded (Slurm, Kubernetes)", SweepCommand.Usage, SweepCommand.Options, SweepCommand.Run),
            ("compare", "statistics over repeated runs: tables, tests, figures", CompareCommand.Usage, CompareCommand.Options, CompareCommand.Run),
            ("explain", "score attribution methods against the task's ground truth", ExplainCommand.Usage, ExplainCommand.Options, ExplainCommand.Run),
            ("bench", "time every kind (training, inference, generation) against the machine's floor", BenchCommand.Usage, BenchCommand.Options, BenchCommand.Run),
        ];

        /// <summary>Every command with the options its parser accepts (`--help` and `-h` aside, which every command takes).</summary>
        public static IEnumerable<(string Name, OptionSet Options)> Options => Commands.Select(c => (c.Name, c.Options));

        public static int Run(string[] args)
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                Console.WriteLine($"minrnn {RunFiles.Version} — minGRU/minLSTM vs GRU/LSTM\n\ncommands:");
                foreach (var c in Commands) Console.WriteLine($"  {c.Name,-8} {c.Summary}");
                Console.WriteLine("\nminrnn COMMAND --help shows a command's options.");
                return args.Length == 0 ? 2 : 0;
            }
            if (args[0] is "--version") { Console.WriteLine(RunFiles.Version); return 0; }
            var command = Commands.FirstOrDefault(c => c.Name == args[0]);
            if (command.Name is null)
                return Fail(2, $"minrnn: unknown command '{args[0]}' (commands: {string.Join(", ", Commands.Select(c => c.Name))})");
            var rest = args[1..];
            if (rest.Contains("--help") || rest.Contains("-h")) { Console.WriteLine(command.Usage); return 0; }
            try
            {
                return command.Run(rest);
            }
            catch (UsageException e) { return Fail(2, $"minrnn {command.Name}: {e.Message}"); }
            catch (ArgumentException e) { return Fail(2, $"minrnn {command.Name}: {e.Message}"); }
            catch (OperationCanceledException) { return Fail(130, $"minrnn {command.Name}: stopped; rerun with --resume to continue"); }
            catch (MinRnn.ML.CudaUnavailableException e) { return Fail(2, $"minrnn {command.Name}: {e.Message.Split('\n')[0]}"); }
            catch (BadFileException e) { return Fail(2, $"minrnn {command.Name}: {e.Message.Split('\n')[0]}"); }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
            {
                return Fail(1, $"minrnn {command.Name}: {e.Message.Split('\n')[0]}");
            }
            catch (Exception e) when (Environment.GetEnvironmentVariable("MINRNN_DEBUG") != "1")
            {
                return Fail(1, $"minrnn {command.Name}: internal error: {e.GetType().Name}: {e.Message.Split('\n')[0]} (MINRNN_DEBUG=1 shows the stack trace)");
            }
        }

        private static int Fail(int code, string message)
        {
            Console.Error.WriteLine(message);
            return code;
        }
    }
}
