using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML.Tokens;

namespace MinRnn.ML.Batching;

/// <summary>The whole component with several rows per ONNX Runtime call: the component's output schema (the user's columns
/// and the model's outputs under the user's names, typed as OnnxTransformer types them) served straight from the user's
/// data, with no ML.NET transform in between.</summary>
/// <remarks>A cursor reads ahead with a second cursor over the user's token column only (same order; <see cref="TokenReader"/>
/// converts and checks each row as the chain's mappings and guard do), runs up to the batch size of consecutive rows in
/// one call — of any lengths, padded, with a model that takes lengths; of one length otherwise — and serves the results as
/// the main cursor passes. Every row's outputs are those of a one-row call. The user's columns pass through untouched.
/// One cursor at a time and no shuffling: a row-to-row transform in between would have ML.NET split the rows over
/// threads and merge them again, which on a few cores costs more than the rows' own work (measured with dotnet-trace on
/// `minrnn bench infer --mlnet`).</remarks>
internal sealed class BatchedModelView : IDataView
{
    private readonly IDataView input;
    private readonly string inputColumn;
    private readonly TokenKind kind;
    private readonly BatchRunner runner;
    private readonly int batchSize;
    private readonly int vocab;
    private readonly int[] columns;   // per schema column: ≥ 0 the input column it passes on, < 0 model output ~index

    /// <summary>`input` is the user's data, whose `inputColumn` holds ids of `kind`; `schema` is the component's output
    /// schema for it, in which `outputNames[o]` is the column of the runner's output o.</summary>
    public BatchedModelView(IDataView input, DataViewSchema schema, IReadOnlyList<string> outputNames, string inputColumn,
        TokenKind kind, BatchRunner runner, int batchSize, int vocab)
    {
        this.input = input;
        this.inputColumn = inputColumn;
        this.kind = kind;
        this.runner = runner;
        this.batchSize = batchSize;
        this.vocab = vocab;
        Schema = schema;
        columns = Map(schema, input.Schema, outputNames);
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => columns[c.Index]).ToList();
        var passed = needed.Where(i => i >= 0).Distinct().Select(i => input.Schema[i]);
        var active = needed.Where(i => i < 0).Select(i => ~i).ToHashSet();
        var inner = input.GetRowCursor(passed);
        var lookahead = active.Count == 0 ? null : input.GetRowCursor([input.Schema[inputColumn]]);
        return new Cursor(this, inner, lookahead, active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    /// <summary>Each schema column's source: the model output named for it (the last column of that name), else the input
    /// column of its name (matched from the end, so a column an output hides maps to the earlier input column).</summary>
    private static int[] Map(DataViewSchema schema, DataViewSchema input, IReadOnlyList<string> outputNames)
    {
        var map = new int[schema.Count];
        var outputs = outputNames.ToList();
        var unused = input.Select(c => c.Index).ToList();
        for (var i = schema.Count - 1; i >= 0; i--)
        {
            var name = schema[i].Name;
            var output = schema[name].Index == i ? outputs.IndexOf(name) : -1;
            if (output >= 0) { map[i] = ~output; continue; }
            var source = unused.LastOrDefault(j => input[j].Name == name, -1);
            if (source < 0) throw new InvalidOperationException($"MinRnn: column '{name}' of the output schema has no source");
            unused.Remove(source);
            map[i] = source;
        }
        return map;
    }

    private sealed class Cursor(BatchedModelView parent, DataViewRowCursor inner, DataViewRowCursor? lookahead, HashSet<int> active) : DataViewRowCursor
    {
        private readonly TokenReader? tokens = lookahead is null ? null
            : new TokenReader(lookahead, parent.input.Schema[parent.inputColumn], parent.kind, parent.vocab);
        private BatchResult batch = BatchResult.Empty;
        private long batchStart;
        private int batchRows;
        private long[]? pending;        // read ahead, but of another length than the batch it ended

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column)
        {
            var source = parent.columns[column.Index];
            return source >= 0 ? inner.IsColumnActive(parent.input.Schema[source]) : active.Contains(~source);
        }

        public override bool MoveNext()
        {
            if (!inner.MoveNext()) return false;
            if (lookahead is not null && inner.Position >= batchStart + batchRows) Fill();
            return true;
        }

        /// <summary>Reads the next rows (at most the batch size; of one length unless the runner is ragged), starting at the
        /// main cursor's row, and runs them. A row of another length that ends a run waits in <see cref="pending"/>.</summary>
        private void Fill()
        {
            batchStart = inner.Position;
            var rows = new List<long[]>();
            while (rows.Count < parent.batchSize)
            {
                var row = pending ?? Next();
                pending = null;
                if (row is null) break;
                if (!parent.runner.Ragged && rows.Count > 0 && row.Length != rows[0].Length) { pending = row; break; }
                rows.Add(row);
            }
            if (rows.Count == 0) throw new InvalidOperationException("MinRnn: the read-ahead cursor ended before the main cursor");
            batchRows = rows.Count;
            batch.Dispose();
            batch = parent.runner.Run([.. rows]);
        }

        /// <summary>The next row's ids from the read-ahead cursor (null at the end), checked.</summary>
        private long[]? Next() => lookahead!.MoveNext() ? tokens!.Read() : null;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var source = parent.columns[column.Index];
            if (source >= 0) return inner.GetGetter<TValue>(parent.input.Schema[source]);
            var output = ~source;
            Delegate getter = column.Type is KeyDataViewType ? KeyGetter(output)
                : ((VectorDataViewType)column.Type).ItemType == NumberDataViewType.Int64 ? Getter<long>(output) : Getter<float>(output);
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"MinRnn: column '{column.Name}' is read as {typeof(TValue)}, it is {column.Type}");
        }

        private ValueGetter<VBuffer<T>> Getter<T>(int output) where T : unmanaged => (ref VBuffer<T> dst) =>
        {
            var values = batch.Row<T>(output, (int)(inner.Position - batchStart));
            var editor = VBufferEditor.Create(ref dst, values.Length);
            values.CopyTo(editor.Values);
            dst = editor.Commit();
        };

        /// <summary>A classify answer's slot j as PredictedLabel's key j + 1 (the chain's value mapping).</summary>
        private ValueGetter<uint> KeyGetter(int output) => (ref uint dst) =>
            dst = (uint)batch.Row<long>(output, (int)(inner.Position - batchStart))[0] + 1;

        protected override void Dispose(bool disposing)
        {
            if (disposing) { inner.Dispose(); lookahead?.Dispose(); batch.Dispose(); }
            base.Dispose(disposing);
        }
    }
}
