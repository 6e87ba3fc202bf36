using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tasks;

/// <summary>Forecasting a numeric series (`--task forecast --data series.csv --target COL --horizon H`; docs/FORECAST.md):
/// windows of T past steps of the target and the --features columns (numeric steps, standardised with the training part's
/// mean and std) predict the next H values of the target, read from the model's H outputs at the window's last step (a direct
/// multi-horizon head) in the target's standardised units. With --predict change the window is read relative to its last target
/// value y_o and the outputs are the changes y_{o+h} − y_o, so a series whose level leaves the training range (a trend) is
/// forecast from where it is, not from where the training part was. Split by time (ForecastWindows); metrics in the target's units
/// against the naive and seasonal naive forecasts of the same windows (ForecastErrors, NaiveForecasts).</summary>
/// <param name="SeqLen">T: the past steps a window reads.</param>
/// <param name="Data">The series CSV (full path).</param>
/// <param name="Target">The column forecast; it is also the first input feature.</param>
/// <param name="Features">Further input columns (their past values only).</param>
/// <param name="Time">The time column ("" = none): its rows must increase; the forecast names its next values when evenly spaced.</param>
/// <param name="Horizon">H: the values forecast from each window.</param>
/// <param name="EvalFrom">The first evaluated row, counted from 1 after the header; 0 = the last 10% of rows.</param>
/// <param name="Fill">none (a missing value is an error) or previous (carry the last value).</param>
/// <param name="Loss">mse or mae: the training loss on the H standardised outputs.</param>
/// <param name="Season">S for the seasonal naive forecast and MASE's scale; 0 = none (the naive forecast scales MASE).</param>
/// <param name="FeatureMean">Each input column's mean over the training part's rows (the target first).</param>
/// <param name="FeatureStd">Each input column's population standard deviation there, 1 for a constant column.</param>
/// <param name="Predict">level (the next values) or change (the next values minus the window's last target value; the target
/// column's mean and std are then those of y_r − y_o over the training windows' rows).</param>
public sealed record Forecast(int SeqLen = 24, string Data = "", string Target = "", string[]? Features = null, string Time = "", int Horizon = 1,
    int EvalFrom = 0, string Fill = Forecast.NoFill, string Loss = Forecast.Mse, int Season = 0, float[]? FeatureMean = null, float[]? FeatureStd = null,
    string Predict = Forecast.Level)
    : IFileTask
{
    public const string TaskName = "forecast";
    public const string NoFill = "none", FillPrevious = "previous", Mse = "mse", Mae = "mae", Level = "level", Change = "change";

    private static readonly ConcurrentDictionary<string, SeriesTable> Tables = new();

    [JsonIgnore] public string Name => TaskName;

    [JsonIgnore] public string DataDescription => "a CSV file with a header line naming the columns, one row a time step";

    [JsonIgnore] public string UsageOptions => "--data series.csv --target COL --horizon H [--features COL,…] [--time COL] [--eval-from ROW]\n" +
                                               "[--fill previous] [--loss mse|mae] [--season S] [--predict level|change] (docs/FORECAST.md)";

    [JsonIgnore] public IReadOnlyList<string> ExtraFileOptions => ["--target", "--features", "--time", "--horizon", "--eval-from", "--fill", "--loss", "--season", "--predict"];

    /// <summary>The input columns: the target, then the features.</summary>
    [JsonIgnore] public string[] Columns => [Target, .. Features ?? []];

    /// <summary>One output a step ahead: the head is Linear(d, H).</summary>
    [JsonIgnore] public TaskVocabulary Vocabulary => new([.. Enumerable.Range(1, Horizon).Select(h => $"t+{h}")], new Dictionary<string, int>());

    [JsonIgnore] public int? Filler => null;

    [JsonIgnore] public bool HasRelevance => false;

    [JsonIgnore] public string EvalLabel => $"T{SeqLen}-H{Horizon}" + (EvalFrom > 0 ? $"-from{EvalFrom}" : "");

    [JsonIgnore] public int? InputFeatures => Columns.Length;

    [JsonIgnore] public (float[] Mean, float[] Std)? InputStandardisation => FeatureMean is null || FeatureStd is null ? null : (FeatureMean, FeatureStd);

    [JsonIgnore] public TaskLoss Objective => Loss == Mae ? TaskLoss.AbsoluteError : TaskLoss.SquaredError;

    /// <summary>MAE, RMSE, sMAPE and MASE of the model, the naive and the seasonal naive forecast: lower is better.</summary>
    [JsonIgnore] public IReadOnlyList<TaskMetric> Metrics =>
        [.. new[] { "", "naive_", "seasonal_naive_" }.SelectMany(p => ForecastErrors.Names.Select(n => new TaskMetric(p + n, MetricDirection.LowerIsBetter)))];

    public bool Equals(Forecast? other) =>
        other is not null && (SeqLen, Data, Target, Time, Horizon, EvalFrom, Fill, Loss, Season, Predict) ==
        (other.SeqLen, other.Data, other.Target, other.Time, other.Horizon, other.EvalFrom, other.Fill, other.Loss, other.Season, other.Predict) &&
        Columns.SequenceEqual(other.Columns) && (FeatureMean ?? []).SequenceEqual(other.FeatureMean ?? []) && (FeatureStd ?? []).SequenceEqual(other.FeatureStd ?? []);

    public override int GetHashCode() => HashCode.Combine(SeqLen, Data, string.Join(",", Columns), Time, Horizon, EvalFrom, HashCode.Combine(Fill, Loss, Season, Predict));

    public void Validate()
    {
        if (SeqLen < 1) throw new ArgumentException($"seq_len: must be ≥ 1 (got {SeqLen})");
        if (Horizon < 1) throw new ArgumentException($"horizon: must be ≥ 1 (got {Horizon})");
        if (Data == "") throw new ArgumentException($"data: required ({DataDescription})");
        if (Target == "") throw new ArgumentException("target: required (the column to forecast)");
        if (Columns.Distinct().Count() != Columns.Length || Columns.Contains(Time) || Columns.Any(c => c == ""))
            throw new ArgumentException($"features: the columns {string.Join(", ", Columns)} must be distinct, non-empty and not the time column");
        if (Fill is not (NoFill or FillPrevious)) throw new ArgumentException($"fill: '{Fill}' is not one of {NoFill}|{FillPrevious}");
        if (Loss is not (Mse or Mae)) throw new ArgumentException($"loss: '{Loss}' is not one of {Mse}|{Mae}");
        if (Predict is not (Level or Change)) throw new ArgumentException($"predict: '{Predict}' is not one of {Level}|{Change}");
        if (Season < 0) throw new ArgumentException($"season: must be ≥ 1 (got {Season})");
        if (EvalFrom < 0) throw new ArgumentException($"eval_from: must be a row ≥ 2 (got {EvalFrom})");
        if (FeatureMean?.Length != Columns.Length || FeatureMean.Any(m => !float.IsFinite(m)))
            throw new ArgumentException($"feature_mean: needs {Columns.Length} finite numbers (learned from the training part of --data)");
        if (FeatureStd?.Length != Columns.Length || FeatureStd.Any(s => !(s > 0) || !float.IsFinite(s)))
            throw new ArgumentException($"feature_std: needs {Columns.Length} finite numbers > 0 (learned from the training part of --data)");
    }

    public ISequenceTask WithSeqLen(int seqLen) => (this with { SeqLen = seqLen }).Validated();

    /// <summary>The options (--target, --horizon, …) and the series: the standardisation is learned from the training part.</summary>
    public IFileTask WithFiles(TaskFiles files)
    {
        var o = files.Options ?? new Dictionary<string, string>();
        int Integer(string option, int fallback) => !o.TryGetValue(option, out var text) ? fallback
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw new ArgumentException($"{option[2..].Replace('-', '_')}: '{text}' is not an integer");
        var task = this with
        {
            Data = Path.GetFullPath(files.Data),
            SeqLen = Integer("--seq-len", SeqLen),
            Target = o.TryGetValue("--target", out var target) ? target : throw new ArgumentException("target: required (the column to forecast)"),
            Features = o.TryGetValue("--features", out var features) ? [.. features.Split(',').Select(f => f.Trim())] : [],
            Time = o.GetValueOrDefault("--time", ""),
            Horizon = o.ContainsKey("--horizon") ? Integer("--horizon", 0) : throw new ArgumentException("horizon: required (the values to forecast)"),
            EvalFrom = Integer("--eval-from", 0),
            Fill = o.GetValueOrDefault("--fill", NoFill),
            Loss = o.GetValueOrDefault("--loss", Mse),
            Season = Integer("--season", 0),
            Predict = o.GetValueOrDefault("--predict", Level),
        };
        if (files.EvalData is not null) throw new ArgumentException("eval_data: a forecast evaluates the series' last rows (give --eval-from ROW instead)");
        task = task with { FeatureMean = new float[task.Columns.Length], FeatureStd = [.. task.Columns.Select(_ => 1f)] };
        task.Validate();
        var series = task.Series();
        var cut = Math.Clamp(ForecastWindows.CutOf(series.Rows, task.EvalFrom), 0, series.Rows);
        var rows = new LabelledRow(0, [], [],
            [.. Enumerable.Range(0, cut * task.Columns.Length).Select(i => (float)series.Columns[i % task.Columns.Length][i / task.Columns.Length])], task.Columns.Length);
        if (cut > 0)
        {
            var (mean, std) = FeatureStandardisation.Of([rows], task.Columns.Length);
            if (task.Predict == Change && task.Windows().Training is { Count: > 0 } origins)
                (mean[0], std[0]) = ChangeStandardisation(series.Columns[0], origins, task.SeqLen, task.Horizon);
            task = task with { FeatureMean = mean, FeatureStd = std };
        }
        task.CheckData();
        return task;
    }

    /// <summary>The mean and population std of y_r − y_o over the training windows' rows r = o − T + 1 … o + H (inputs and
    /// targets), as FeatureStandardisation learns every column's (std 1 for a constant series).</summary>
    private static (float Mean, float Std) ChangeStandardisation(double[] y, IReadOnlyList<int> origins, int seqLen, int horizon)
    {
        var changes = origins.SelectMany(o => Enumerable.Range(o - seqLen + 1, seqLen + horizon).Select(r => (float)(y[r] - y[o]))).ToArray();
        var (mean, std) = FeatureStandardisation.Of([new LabelledRow(0, [], [], changes, 1)], 1);
        return (mean[0], std[0]);
    }

    public IFileTask WithEvalData(string path) =>
        throw new ArgumentException("data: a forecast run is evaluated on its own series' last rows (`minrnn forecast --backtest N` scores another file)");

    /// <summary>The series' columns, read once per file version.</summary>
    public SeriesTable Series() => SeriesOf(Data);

    /// <summary>Another file's rows of the same columns (`minrnn forecast --data`).</summary>
    public SeriesTable SeriesOf(string path)
    {
        var info = new FileInfo(path);
        var key = string.Join("\n", info.FullName, info.Exists ? info.LastWriteTimeUtc.Ticks : 0, info.Exists ? info.Length : 0, string.Join(",", Columns), Time, Fill);
        if (Tables.TryGetValue(key, out var table)) return table;
        table = SeriesTable.Read(path, Columns, Time, Fill == FillPrevious ? MissingValues.Previous : MissingValues.Error);
        return Tables[key] = table;
    }

    /// <summary>The windows of the series at this T and H.</summary>
    public ForecastWindows Windows()
    {
        var rows = Series().Rows;
        return new ForecastWindows(rows, ForecastWindows.CutOf(rows, EvalFrom), SeqLen, Horizon);
    }

    public void CheckData()
    {
        Validate();
        var series = Series();
        var (n, need) = (series.Rows, SeqLen + Horizon);
        if (n < need) throw new ArgumentException($"data: {Data} has {n} rows, fewer than T + H = {SeqLen} + {Horizon} = {need}");
        if (EvalFrom == 1 || EvalFrom > n) throw new ArgumentException($"eval_from: row {EvalFrom} is not within rows 2 … {n} of {Data}");
        var w = Windows();
        if (w.Training.Count == 0)
            throw new ArgumentException($"data: the training part (rows 1 … {w.Cut}) is shorter than a window's T + H = {need} rows");
        if (w.Evaluation.Count == 0)
            throw new ArgumentException($"eval_from: the evaluation part (rows {w.Cut + 1} … {n}, {n - w.Cut} rows) is shorter than a window's T + H = {need} rows");
        if (Season > 0 && Season >= w.Cut)
            throw new ArgumentException($"season: {Season} is not smaller than the training part's {w.Cut} rows");
    }

    /// <summary>Train: `batch` training windows drawn with replacement by (seed). Evaluation: every evaluation window in time
    /// order, or `batch` of them evenly spaced; the seed is not used.</summary>
    public TaskBatch Sample(int batch, long seed, TaskSplit split)
    {
        Validate();
        var w = Windows();
        if (split == TaskSplit.Evaluation) return Batch(w.EvaluationSample(batch));
        var (origins, random) = (w.Training, new TaskRandom(seed));
        return Batch([.. Enumerable.Range(0, batch).Select(_ => origins[random.Next(origins.Count)])]);
    }

    /// <summary>Inputs (B, T, F) float32 in the series' units (the model standardises them), targets (B, H) float32: the next H
    /// target values (less y_o with --predict change) standardised with the target column's mean and std.</summary>
    private TaskBatch Batch(IReadOnlyList<int> origins)
    {
        var series = Series();
        var (y, mean, std) = (series.Columns[0], FeatureMean![0], FeatureStd![0]);
        var targets = origins.SelectMany(o => Enumerable.Range(o + 1, Horizon).Select(r => (float)((y[r] - Reference(y, o) - mean) / std))).ToArray();
        return new TaskBatch(Inputs(series, origins), tensor(targets, [origins.Count, Horizon], float32), null);
    }

    /// <summary>Each evaluation window's sum of its H standardised forecasts at its last step.</summary>
    public StepRows ExplainRows(int samples)
    {
        var origins = Windows().EvaluationSample(samples);
        return new StepRows(Inputs(Series(), origins), [.. origins.Select(_ => (long)SeqLen - 1)], null,
            [.. origins.Select(o => new JsonObject { ["origin"] = o })],
            $"the sum of the window's H {(Predict == Change ? "forecast changes from its last target value" : "forecasts")} " +
            "(standardised units) at its last step; origin: the window's last input row (0-based)");
    }

    /// <summary>What the window's target values and forecasts are measured from: y_o with --predict change, else 0.</summary>
    public double Reference(double[] y, int origin) => Predict == Change ? y[origin] : 0;

    /// <summary>The windows ending at the origins as (B, T, F) float32, rows o − T + 1 … o of the input columns; with --predict
    /// change the target column less y_o.</summary>
    public Tensor Inputs(SeriesTable series, IReadOnlyList<int> origins)
    {
        var f = Columns.Length;
        var values = new float[origins.Count * SeqLen * f];
        for (var b = 0; b < origins.Count; b++)
            for (var t = 0; t < SeqLen; t++)
                for (var c = 0; c < f; c++)
                    values[(b * SeqLen + t) * f + c] = (float)(series.Columns[c][origins[b] - SeqLen + 1 + t] - (c == 0 ? Reference(series.Columns[0], origins[b]) : 0));
        return tensor(values, [origins.Count, SeqLen, f], float32);
    }

    /// <summary>A model output (standardised target units) of the window ending at `origin` back in the target's units:
    /// ŷ = out · std + mean, plus y_o with --predict change.</summary>
    public double Destandardise(float output, double[] y, int origin) => output * (double)FeatureStd![0] + FeatureMean![0] + Reference(y, origin);

    /// <summary>The errors of the model's forecasts (Evaluation.Outputs, the evaluation windows in order) and of the naive and
    /// seasonal naive forecasts of the same windows, MASE scaled on the training part; `windows` says how many were scored.</summary>
    public JsonObject Measure(Evaluation evaluation)
    {
        if (evaluation.Outputs is not { } outputs) return [];
        var (w, y) = (Windows(), Series().Columns[0]);
        var origins = w.EvaluationSample(outputs.Length / Horizon);
        var scale = NaiveForecasts.Scale(y, w.Cut, Season > 0 ? Season : 1);
        var actual = origins.SelectMany(o => Enumerable.Range(o + 1, Horizon).Select(r => y[r])).ToArray();
        var json = new JsonObject { ["windows"] = origins.Count };
        void Add(string prefix, IEnumerable<double> predicted)
        {
            foreach (var (name, value) in ForecastErrors.Of(actual, [.. predicted], scale).Named(prefix)) json[name] = value;
        }
        Add("", outputs.Select((output, i) => Destandardise(output, y, origins[i / Horizon])));
        Add("naive_", origins.SelectMany(o => NaiveForecasts.Naive(y, o, Horizon)));
        if (Season > 0) Add("seasonal_naive_", origins.SelectMany(o => NaiveForecasts.Seasonal(y, o, Horizon, Season)));
        return json;
    }

    public JsonObject Summary() => TaskJson.Summary(this);

    public IEnumerable<(string Key, string Value)> Metadata() => TaskJson.Metadata(this);
}
