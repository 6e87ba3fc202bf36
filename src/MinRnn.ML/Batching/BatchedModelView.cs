using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML.Tokens;
using C = MinRnn.ML.Tokens.ComponentColumns;

namespace MinRnn.ML.Batching;

/// <summary>The model step of the component with several rows per ONNX Runtime call: the source's columns (the converted
/// tokens among them) plus the model's outputs under their graph names, typed as OnnxTransformer types them.</summary>
/// <remarks>A cursor reads ahead with a second cursor over the user's token column only (the input the source was made
/// from, same order; <see cref="TokenReader"/> converts and checks each row as the chain's mappings and guard do), runs
/// up to the batch size of consecutive rows in one call — of any lengths, padded, with a model that takes lengths; of
/// one length otherwise — and serves the results as the main cursor passes. Every row's outputs are those of a one-row
/// call. The main cursor computes no source column the caller did not ask for, so the chain's conversion and check run
/// only for columns read. One cursor at a time (no parallel set) and no shuffling.</remarks>
internal sealed class BatchedModelView : IDataView
{
    private readonly IDataView source;
    private readonly IDataView input;
    private readonly string inputColumn;
    private readonly TokenKind kind;
    private readonly BatchRunner runner;
    private readonly int batchSize;
    private readonly int vocab;

    /// <summary>`source` is the chain's first steps over `input` (its columns are this view's); `input` is the user's data,
    /// whose `inputColumn` holds ids of `kind`.</summary>
    public BatchedModelView(IDataView source, IDataView input, string inputColumn, TokenKind kind, BatchRunner runner,
        IReadOnlyList<DataViewType> outputTypes, int batchSize, int vocab)
    {
        this.source = source;
        this.input = input;
        this.inputColumn = inputColumn;
        this.kind = kind;
        this.runner = runner;
        this.batchSize = batchSize;
        this.vocab = vocab;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(source.Schema);
        for (var o = 0; o < runner.Outputs.Count; o++) builder.AddColumn(runner.Outputs[o], outputTypes[o]);
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var inner = source.GetRowCursor(needed.Where(c => c.Index < source.Schema.Count).Select(c => source.Schema[c.Index]));
        var active = needed.Where(c => c.Index >= source.Schema.Count).Select(c => c.Index - source.Schema.Count).ToHashSet();
        var lookahead = active.Count == 0 ? null : input.GetRowCursor([input.Schema[inputColumn]]);
        return new Cursor(this, inner, lookahead, active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(BatchedModelView parent, DataViewRowCursor inner, DataViewRowCursor? lookahead, HashSet<int> active) : DataViewRowCursor
    {
        private readonly int sourceColumns = parent.source.Schema.Count;
        private readonly TokenReader? tokens = lookahead is null ? null
            : new TokenReader(lookahead, parent.input.Schema[parent.inputColumn], parent.kind, parent.vocab);
        private Array[][] batch = [];   // [output][row in batch]
        private long batchStart;
        private int batchRows;
        private long[]? pending;        // read ahead, but of another length than the batch it ended

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < sourceColumns ? inner.IsColumnActive(parent.source.Schema[column.Index]) : active.Contains(column.Index - sourceColumns);

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
            batch = parent.runner.Run([.. rows]);
        }

        /// <summary>The next row's ids from the read-ahead cursor (null at the end), checked.</summary>
        private long[]? Next() => lookahead!.MoveNext() ? tokens!.Read() : null;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < sourceColumns) return inner.GetGetter<TValue>(parent.source.Schema[column.Index]);
            var output = column.Index - sourceColumns;
            Delegate getter = ((VectorDataViewType)column.Type).ItemType == NumberDataViewType.Int64 ? Getter<long>(output) : Getter<float>(output);
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"MinRnn: column '{column.Name}' is read as {typeof(TValue)}, it is {column.Type}");
        }

        private ValueGetter<VBuffer<T>> Getter<T>(int output) => (ref VBuffer<T> dst) =>
        {
            var values = (T[])batch[output][inner.Position - batchStart];
            var editor = VBufferEditor.Create(ref dst, values.Length);
            values.CopyTo(editor.Values);
            dst = editor.Commit();
        };

        protected override void Dispose(bool disposing)
        {
            if (disposing) { inner.Dispose(); lookahead?.Dispose(); }
            base.Dispose(disposing);
        }
    }
}
