using Harness.Core.Randomness;

namespace Harness.Core.Data;

/// <summary>
/// A checkerboard of `cells` × `cells` squares on [−1, 1]²: a point's class is the parity of its cell (row + column),
/// so neighbouring cells differ and, with 2 cells, opposite quadrants agree (XOR). Points are uniform within the
/// cells of their class: the class is drawn first, then a cell of that parity, then a point in it.
/// </summary>
internal static class CheckerboardGenerator
{
    public static PlanePoints Generate(int rows, int cells, Rng rng)
    {
        var byParity = new[] { new List<(int Row, int Col)>(), new List<(int Row, int Col)>() };
        for (int row = 0; row < cells; row++)
            for (int col = 0; col < cells; col++) byParity[(row + col) % 2].Add((row, col));
        double width = 2.0 / cells;
        return PlanePoints.Draw(rows, rng, (cls, r) =>
        {
            var cell = byParity[cls][r.NextInt(byParity[cls].Count)];
            return (-1 + width * (cell.Col + r.NextDouble()), -1 + width * (cell.Row + r.NextDouble()));
        }).Shuffled(rng);
    }
}
