using Google.Protobuf;

namespace Keel.ML.Tests;

/// <summary>
/// Writes tiny ONNX ModelProto files field by field (numbers from the public onnx.proto), so the
/// tests need neither Python nor checked-in binaries.
/// </summary>
internal static class OnnxModelBuilder
{
    private const int FloatType = 1;
    private const int Int64Type = 7;

    /// <summary>variable = input · W + B, input [-1, len(w)], variable [-1, 1].</summary>
    public static byte[] LinearRegressor(float[] w, float b) => Model(Graph("linear", g =>
    {
        Node(g, "MatMul", ["input", "W"], ["xw"]);
        Node(g, "Add", ["xw", "B"], ["variable"]);
        Initializer(g, "W", [w.Length, 1], w);
        Initializer(g, "B", [1], [b]);
        Value(g, 11, "input", FloatType, [-1, w.Length]);
        Value(g, 12, "variable", FloatType, [-1, 1]);
    }));

    /// <summary>
    /// The same answers as <see cref="LinearRegressor"/>, but each row also pays for
    /// <paramref name="layers"/> products with a <paramref name="width"/>² matrix whose result is
    /// multiplied by zero: a deliberately slow model, for latency tests.
    /// </summary>
    public static byte[] SlowRegressor(float[] w, float b, int layers, int width) => Model(Graph("slow", g =>
    {
        Node(g, "MatMul", ["input", "W"], ["xw"]);
        Node(g, "Add", ["xw", "B"], ["linear"]);
        Node(g, "MatMul", ["input", "A"], ["h0"]);
        for (var i = 0; i < layers; i++)
        {
            Node(g, "MatMul", [$"h{i}", "M"], [$"h{i + 1}"]);
        }

        Node(g, "ReduceSum", [$"h{layers}"], ["busy"], ("keepdims", 1));
        Node(g, "Mul", ["busy", "Zero"], ["nothing"]);
        Node(g, "Add", ["linear", "nothing"], ["variable"]);
        Initializer(g, "W", [w.Length, 1], w);
        Initializer(g, "B", [1], [b]);
        Initializer(g, "A", [w.Length, width], Enumerable.Repeat(0.01f, w.Length * width).ToArray());
        Initializer(g, "M", [width, width], Enumerable.Repeat(1f / width, width * width).ToArray());
        Initializer(g, "Zero", [1], [0f]);
        Value(g, 11, "input", FloatType, [-1, w.Length]);
        Value(g, 12, "variable", FloatType, [-1, 1]);
    }));

    /// <summary>probabilities = softmax(input · W + B); label = argmax, as skl2onnx names them.</summary>
    public static byte[] Classifier(float[,] w, float[] b)
    {
        int features = w.GetLength(0), classes = w.GetLength(1);
        var flat = new float[features * classes];
        Buffer.BlockCopy(w, 0, flat, 0, flat.Length * sizeof(float));
        return Model(Graph("classifier", g =>
        {
            Node(g, "MatMul", ["input", "W"], ["xw"]);
            Node(g, "Add", ["xw", "B"], ["logits"]);
            Node(g, "Softmax", ["logits"], ["probabilities"], ("axis", 1));
            Node(g, "ArgMax", ["logits"], ["label"], ("axis", 1), ("keepdims", 0));
            Initializer(g, "W", [features, classes], flat);
            Initializer(g, "B", [classes], b);
            Value(g, 11, "input", FloatType, [-1, features]);
            Value(g, 12, "label", Int64Type, [-1]);
            Value(g, 12, "probabilities", FloatType, [-1, classes]);
        }));
    }

    private static byte[] Model(byte[] graph) => Message(m =>
    {
        m.WriteTag(1, WireFormat.WireType.Varint);
        m.WriteInt64(7); // ir_version
        m.WriteTag(8, WireFormat.WireType.LengthDelimited);
        m.WriteBytes(ByteString.CopyFrom(Message(o =>
        {
            o.WriteTag(2, WireFormat.WireType.Varint);
            o.WriteInt64(13); // opset version, default domain
        })));
        m.WriteTag(7, WireFormat.WireType.LengthDelimited);
        m.WriteBytes(ByteString.CopyFrom(graph));
    });

    private static byte[] Graph(string name, Action<CodedOutputStream> body) => Message(g =>
    {
        g.WriteTag(2, WireFormat.WireType.LengthDelimited);
        g.WriteString(name);
        body(g);
    });

    private static void Node(CodedOutputStream g, string op, string[] inputs, string[] outputs, params (string Name, long Value)[] attributes) =>
        Sub(g, 1, n =>
        {
            foreach (var i in inputs)
            {
                n.WriteTag(1, WireFormat.WireType.LengthDelimited);
                n.WriteString(i);
            }

            foreach (var o in outputs)
            {
                n.WriteTag(2, WireFormat.WireType.LengthDelimited);
                n.WriteString(o);
            }

            n.WriteTag(4, WireFormat.WireType.LengthDelimited);
            n.WriteString(op);
            foreach (var (attrName, value) in attributes)
            {
                Sub(n, 5, a =>
                {
                    a.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    a.WriteString(attrName);
                    a.WriteTag(3, WireFormat.WireType.Varint);
                    a.WriteInt64(value);
                    a.WriteTag(20, WireFormat.WireType.Varint);
                    a.WriteEnum(2); // AttributeType.INT
                });
            }
        });

    private static void Initializer(CodedOutputStream g, string name, long[] dims, float[] data) => Sub(g, 5, t =>
    {
        foreach (var d in dims)
        {
            t.WriteTag(1, WireFormat.WireType.Varint);
            t.WriteInt64(d);
        }

        t.WriteTag(2, WireFormat.WireType.Varint);
        t.WriteInt32(FloatType);
        foreach (var f in data)
        {
            t.WriteTag(4, WireFormat.WireType.Fixed32);
            t.WriteFloat(f);
        }

        t.WriteTag(8, WireFormat.WireType.LengthDelimited);
        t.WriteString(name);
    });

    private static void Value(CodedOutputStream g, int field, string name, int elemType, long[] dims) => Sub(g, field, v =>
    {
        v.WriteTag(1, WireFormat.WireType.LengthDelimited);
        v.WriteString(name);
        Sub(v, 2, type => Sub(type, 1, tensor =>
        {
            tensor.WriteTag(1, WireFormat.WireType.Varint);
            tensor.WriteInt32(elemType);
            Sub(tensor, 2, shape =>
            {
                foreach (var d in dims)
                {
                    Sub(shape, 1, dim =>
                    {
                        if (d < 0)
                        {
                            dim.WriteTag(2, WireFormat.WireType.LengthDelimited);
                            dim.WriteString("N");
                        }
                        else
                        {
                            dim.WriteTag(1, WireFormat.WireType.Varint);
                            dim.WriteInt64(d);
                        }
                    });
                }
            });
        }));
    });

    private static void Sub(CodedOutputStream parent, int field, Action<CodedOutputStream> body)
    {
        parent.WriteTag(field, WireFormat.WireType.LengthDelimited);
        parent.WriteBytes(ByteString.CopyFrom(Message(body)));
    }

    private static byte[] Message(Action<CodedOutputStream> body)
    {
        using var ms = new MemoryStream();
        using (var output = new CodedOutputStream(ms, leaveOpen: true))
        {
            body(output);
        }

        return ms.ToArray();
    }
}
