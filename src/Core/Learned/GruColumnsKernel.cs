using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Harness.Core.Learned;

/// <summary>
/// One GRU cell step over feature-major columns (x [I, R], h [H, R] → h' [H, R]) in a single pass of vectorised C#,
/// for g's steps without autograd on the CPU (meta-testing, comparisons, validation). The same equations as
/// torch.nn.GRUCell; libtorch's version needs two matrix products and about ten element-wise passes, each writing a
/// [H, R] or [3H, R] temporary, and those allocations and memory passes cost more than the arithmetic here.
/// Every column is computed on its own in a fixed order with element-wise operations only, so the result depends
/// neither on the thread count nor on the vector width: AVX-512 (16 lanes) and AVX2 with FMA (8 lanes) give the
/// same bits (see FloatLanes), which is what makes g's numbers portable between machines with and without AVX-512.
/// Without AVX2 and FMA the network keeps libtorch's path.
/// </summary>
internal static unsafe class GruColumnsKernel
{
    private const int VectorsPerBlock = 2;      // two accumulator chains per gate (six per loop) hide the FMA latency

    /// <summary>The widest vector width (bits) the kernel runs at natively here: 512, 256, or 0 (not supported).</summary>
    public static int NativeWidth =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated && Fma.IsSupported ? 256 : 0;

    /// <summary>True where the CPU runs the kernel natively (AVX-512, or AVX2 with FMA).</summary>
    public static bool Supported => NativeWidth > 0;

    /// <summary>
    /// One cell's weights reordered for the kernel: per hidden unit j and input k (x first, then h), the r, z and n
    /// weights side by side. With a head (g's output layer, [O, H] and [O]), the kernel also writes head(h').
    /// </summary>
    public sealed class PackedWeights
    {
        public PackedWeights(float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh, int inputs, int hidden,
            float[]? headWeight = null, float[]? headBias = null)
        {
            Inputs = inputs;
            Hidden = hidden;
            int k = inputs + hidden;
            Weights = new float[hidden * k * 3];
            for (int j = 0; j < hidden; j++)
                for (int c = 0; c < k; c++)
                    for (int gate = 0; gate < 3; gate++)
                        Weights[(j * k + c) * 3 + gate] = c < inputs
                            ? weightIh[(gate * hidden + j) * inputs + c]
                            : weightHh[(gate * hidden + j) * hidden + c - inputs];
            // r and z add both biases; n keeps them apart because r multiplies only the hidden part.
            Biases = new float[4 * hidden];
            for (int j = 0; j < hidden; j++)
            {
                Biases[j] = biasIh[j] + biasHh[j];
                Biases[hidden + j] = biasIh[hidden + j] + biasHh[hidden + j];
                Biases[2 * hidden + j] = biasIh[2 * hidden + j];
                Biases[3 * hidden + j] = biasHh[2 * hidden + j];
            }
            if (headWeight is not null && headBias is not null)
            {
                if (headWeight.Length != headBias.Length * hidden) throw new ArgumentException("head weight must be [O, H] for a bias [O]");
                Outputs = headBias.Length;
                HeadWeight = headWeight;
                HeadBias = headBias;
            }
        }

        public int Inputs { get; }
        public int Hidden { get; }
        public int Outputs { get; }
        public float[] Weights { get; }
        public float[] Biases { get; }
        public float[] HeadWeight { get; } = [];
        public float[] HeadBias { get; } = [];
    }

    /// <summary>Row-major buffers of one call, all with the same number of columns (stride).</summary>
    private readonly record struct Buffers(nint X, nint H, nint HiddenOut, nint HeadOut, long Stride);

    /// <summary>
    /// h' [H, R] from x [I, R] and h [H, R]; with head weights also head(h') [O, R] into headOutput.
    /// All buffers are contiguous and row-major with R columns. Runs at the native width.
    /// </summary>
    public static void Step(PackedWeights w, float* x, float* h, float* hiddenOutput, float* headOutput, long columns, int threads) =>
        Step(w, x, h, hiddenOutput, headOutput, columns, threads, NativeWidth);

    /// <summary>As above at a chosen width (512 or 256; tests compare the two).</summary>
    internal static void Step(PackedWeights w, float* x, float* h, float* hiddenOutput, float* headOutput, long columns, int threads, int width)
    {
        if (w.Outputs > 0 && headOutput == null) throw new ArgumentException("a head needs an output buffer");
        var buffers = new Buffers((nint)x, (nint)h, (nint)hiddenOutput, (nint)headOutput, columns);
        switch (width)
        {
            case 512: Step<Vector512<float>, Lanes512>(w, buffers, threads); break;
            case 256: Step<Vector256<float>, Lanes256>(w, buffers, threads); break;
            default: throw new ArgumentOutOfRangeException(nameof(width), width, "the kernel runs at 512 or 256 bits");
        }
    }

    private static void Step<TV, TL>(PackedWeights w, Buffers buffers, int threads) where TV : unmanaged where TL : struct, IFloatLanes<TV>
    {
        int block = TL.Count * VectorsPerBlock;
        long columns = buffers.Stride;
        long blocks = columns / block;
        if (threads <= 1 || blocks < 2)
        {
            for (long c = 0; c < blocks * block; c += block) Columns<TV, TL>(w, buffers, c);
        }
        else
        {
            long perThread = (blocks + threads - 1) / threads;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                long end = Math.Min(blocks, (t + 1) * perThread) * block;
                for (long c = t * perThread * block; c < end; c += block) Columns<TV, TL>(w, buffers, c);
            });
        }
        long done = blocks * block;
        if (done < columns) Tail<TV, TL>(w, buffers, done);
    }

    /// <summary>The last columns (fewer than a block): copied into a zero-padded block, computed, copied back.</summary>
    private static void Tail<TV, TL>(PackedWeights w, Buffers buffers, long start) where TV : unmanaged where TL : struct, IFloatLanes<TV>
    {
        int block = TL.Count * VectorsPerBlock;
        int n = (int)(buffers.Stride - start);
        var bx = new float[w.Inputs * block];
        var bh = new float[w.Hidden * block];
        var bo = new float[w.Hidden * block];
        var bhead = new float[Math.Max(1, w.Outputs) * block];
        void Gather(nint source, int rows, float[] target)
        {
            for (int k = 0; k < rows; k++) new ReadOnlySpan<float>((float*)source + k * buffers.Stride + start, n).CopyTo(target.AsSpan(k * block));
        }
        void Scatter(float[] source, int rows, nint target)
        {
            for (int k = 0; k < rows; k++) source.AsSpan(k * block, n).CopyTo(new Span<float>((float*)target + k * buffers.Stride + start, n));
        }
        Gather(buffers.X, w.Inputs, bx);
        Gather(buffers.H, w.Hidden, bh);
        fixed (float* px = bx) fixed (float* ph = bh) fixed (float* po = bo) fixed (float* phead = bhead)
            Columns<TV, TL>(w, new Buffers((nint)px, (nint)ph, (nint)po, (nint)phead, block), 0);
        Scatter(bo, w.Hidden, buffers.HiddenOut);
        if (w.Outputs > 0) Scatter(bhead, w.Outputs, buffers.HeadOut);
    }

    /// <summary>One block of 2 vectors of columns starting at column c: all hidden units, inputs loaded once into the stack.</summary>
    [SkipLocalsInit]
    private static void Columns<TV, TL>(PackedWeights weights, Buffers buffers, long c) where TV : unmanaged where TL : struct, IFloatLanes<TV>
    {
        int lanes = TL.Count;
        int inputs = weights.Inputs, hidden = weights.Hidden, k = inputs + hidden, outputs = weights.Outputs;
        long stride = buffers.Stride;
        float* x = (float*)buffers.X, h = (float*)buffers.H, o = (float*)buffers.HiddenOut;
        var v = stackalloc TV[k * VectorsPerBlock];
        var head = stackalloc TV[Math.Max(1, outputs) * VectorsPerBlock];
        for (int i = 0; i < k; i++)
        {
            float* row = i < inputs ? x + i * stride + c : h + (i - inputs) * stride + c;
            for (int q = 0; q < VectorsPerBlock; q++) v[VectorsPerBlock * i + q] = TL.Load(row + q * lanes);
        }
        fixed (float* w = weights.Weights)
        fixed (float* b = weights.Biases)
        fixed (float* hw = weights.HeadWeight)
        fixed (float* hb = weights.HeadBias)
        {
            for (int q = 0; q < outputs; q++) head[VectorsPerBlock * q] = head[VectorsPerBlock * q + 1] = TL.Create(hb[q]);
            for (int j = 0; j < hidden; j++)
            {
                var r0 = TL.Create(b[j]); var r1 = r0;
                var z0 = TL.Create(b[hidden + j]); var z1 = z0;
                var n0 = TL.Create(b[2 * hidden + j]); var n1 = n0;   // W_in x + b_in
                var m0 = TL.Create(b[3 * hidden + j]); var m1 = m0;   // W_hn h + b_hn
                float* wj = w + j * k * 3;
                for (int i = 0; i < inputs; i++)
                {
                    var p = v + VectorsPerBlock * i;
                    var wr = TL.Create(wj[3 * i]);
                    r0 = TL.FusedMultiplyAdd(wr, p[0], r0); r1 = TL.FusedMultiplyAdd(wr, p[1], r1);
                    var wz = TL.Create(wj[3 * i + 1]);
                    z0 = TL.FusedMultiplyAdd(wz, p[0], z0); z1 = TL.FusedMultiplyAdd(wz, p[1], z1);
                    var wn = TL.Create(wj[3 * i + 2]);
                    n0 = TL.FusedMultiplyAdd(wn, p[0], n0); n1 = TL.FusedMultiplyAdd(wn, p[1], n1);
                }
                for (int i = inputs; i < k; i++)
                {
                    var p = v + VectorsPerBlock * i;
                    var wr = TL.Create(wj[3 * i]);
                    r0 = TL.FusedMultiplyAdd(wr, p[0], r0); r1 = TL.FusedMultiplyAdd(wr, p[1], r1);
                    var wz = TL.Create(wj[3 * i + 1]);
                    z0 = TL.FusedMultiplyAdd(wz, p[0], z0); z1 = TL.FusedMultiplyAdd(wz, p[1], z1);
                    var wn = TL.Create(wj[3 * i + 2]);
                    m0 = TL.FusedMultiplyAdd(wn, p[0], m0); m1 = TL.FusedMultiplyAdd(wn, p[1], m1);
                }
                var hj = v + VectorsPerBlock * (inputs + j);
                var h0 = Cell<TV, TL>(r0, z0, n0, m0, hj[0]);
                var h1 = Cell<TV, TL>(r1, z1, n1, m1, hj[1]);
                float* oj = o + j * stride + c;
                TL.Store(h0, oj);
                TL.Store(h1, oj + lanes);
                for (int q = 0; q < outputs; q++)
                {
                    var wq = TL.Create(hw[q * hidden + j]);
                    head[VectorsPerBlock * q] = TL.FusedMultiplyAdd(wq, h0, head[VectorsPerBlock * q]);
                    head[VectorsPerBlock * q + 1] = TL.FusedMultiplyAdd(wq, h1, head[VectorsPerBlock * q + 1]);
                }
            }
        }
        float* headOut = (float*)buffers.HeadOut;
        for (int q = 0; q < outputs; q++)
        {
            TL.Store(head[VectorsPerBlock * q], headOut + q * stride + c);
            TL.Store(head[VectorsPerBlock * q + 1], headOut + q * stride + c + lanes);
        }
    }

    /// <summary>r = σ(·), z = σ(·), n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = n + z ⊙ (h − n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Cell<TV, TL>(TV r, TV z, TV nInput, TV nHidden, TV h) where TV : unmanaged where TL : struct, IFloatLanes<TV>
    {
        r = Sigmoid<TV, TL>(r);
        z = Sigmoid<TV, TL>(z);
        var n = Tanh<TV, TL>(TL.FusedMultiplyAdd(r, nHidden, nInput));
        return TL.FusedMultiplyAdd(z, TL.Subtract(h, n), n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Sigmoid<TV, TL>(TV x) where TV : unmanaged where TL : struct, IFloatLanes<TV>
    {
        var one = TL.Create(1f);
        return TL.Divide(one, TL.Add(one, Exp<TV, TL>(TL.Negate(x))));
    }

    /// <summary>tanh(x) = 2σ(2x) − 1 (absolute error below 1e-7, which is what a GRU state needs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Tanh<TV, TL>(TV x) where TV : unmanaged where TL : struct, IFloatLanes<TV>
    {
        var two = TL.Create(2f);
        return TL.Subtract(TL.Multiply(two, Sigmoid<TV, TL>(TL.Multiply(two, x))), TL.Create(1f));
    }

    /// <summary>e^x at 512 bits (for tests).</summary>
    internal static Vector512<float> Exp(Vector512<float> x) => Exp<Vector512<float>, Lanes512>(x);

    /// <summary>e^x at 256 bits (for tests).</summary>
    internal static Vector256<float> Exp(Vector256<float> x) => Exp<Vector256<float>, Lanes256>(x);

    /// <summary>
    /// e^x for float lanes (Cephes expf: Cody-Waite reduction by ln 2, degree-6 polynomial; about 1 ulp).
    /// .NET's Vector512.Exp is slower here because it widens to double. Inputs are clamped to the float range,
    /// so σ saturates at exactly 0 or 1 instead of producing NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Exp<TV, TL>(TV x) where TV : unmanaged where TL : struct, IFloatLanes<TV>
    {
        x = TL.Min(TL.Max(x, TL.Create(-87.3f)), TL.Create(88.3f));
        var n = TL.Round(TL.Multiply(x, TL.Create(1.44269504088896341f)));
        var r = TL.FusedMultiplyAdd(n, TL.Create(-0.693359375f), x);
        r = TL.FusedMultiplyAdd(n, TL.Create(2.12194440e-4f), r);
        var p = TL.Create(1.9875691500e-4f);
        p = TL.FusedMultiplyAdd(p, r, TL.Create(1.3981999507e-3f));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(8.3334519073e-3f));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(4.1665795894e-2f));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(1.6666665459e-1f));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(5.0000001201e-1f));
        p = TL.Add(TL.FusedMultiplyAdd(TL.Multiply(p, r), r, r), TL.Create(1f));
        return TL.Multiply(p, TL.PowerOfTwo(n));
    }
}
