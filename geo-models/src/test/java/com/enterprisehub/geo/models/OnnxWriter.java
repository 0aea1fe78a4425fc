package com.enterprisehub.geo.models;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes small ONNX models with a minimal protobuf encoder (there is no Python here to export one): a linear model
 * {@code X W + b}, optionally followed by a sigmoid, with X a float input [N, k]. Field numbers are onnx.proto's
 * (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto, TensorShapeProto), IR version 8,
 * default-domain opset 13.
 */
final class OnnxWriter {
    private OnnxWriter() {
    }

    static byte[] linear(float[] weights, float bias, boolean sigmoid) {
        int k = weights.length;
        byte[] w = tensor("W", new long[] {k, 1}, weights);
        byte[] b = tensor("B", new long[] {1}, new float[] {bias});
        Message graph = new Message();
        graph.message(1, node(new String[] {"X", "W"}, "Z", "MatMul"));
        graph.message(1, node(new String[] {"Z", "B"}, sigmoid ? "L" : "Y", "Add"));
        if (sigmoid) {
            graph.message(1, node(new String[] {"L"}, "Y", "Sigmoid"));
        }
        graph.string(2, "geo-models-test");
        graph.bytes(5, w);
        graph.bytes(5, b);
        graph.message(11, valueInfo("X", k));
        graph.message(12, valueInfo("Y", 1));
        Message opset = new Message();
        opset.string(1, "");
        opset.varintField(2, 13);
        Message model = new Message();
        model.varintField(1, 8);
        model.string(2, "geo-models OnnxWriter");
        model.message(7, graph);
        model.message(8, opset);
        return model.toBytes();
    }

    private static Message node(String[] inputs, String output, String op) {
        Message node = new Message();
        for (String in : inputs) {
            node.string(1, in);
        }
        node.string(2, output);
        node.string(3, op + "_" + output);
        node.string(4, op);
        return node;
    }

    private static byte[] tensor(String name, long[] dims, float[] values) {
        Message t = new Message();
        for (long d : dims) {
            t.varintField(1, d);
        }
        t.varintField(2, 1); // FLOAT
        t.string(8, name);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        t.bytes(9, raw.array());
        return t.toBytes();
    }

    private static Message valueInfo(String name, int width) {
        Message batch = new Message();
        batch.string(2, "N");
        Message cols = new Message();
        cols.varintField(1, width);
        Message shape = new Message();
        shape.message(1, batch);
        shape.message(1, cols);
        Message tensorType = new Message();
        tensorType.varintField(1, 1); // FLOAT
        tensorType.message(2, shape);
        Message type = new Message();
        type.message(1, tensorType);
        Message info = new Message();
        info.string(1, name);
        info.message(2, type);
        return info;
    }

    /** A protobuf message being written: fields in the order given. */
    private static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varintField(int field, long value) {
            varint((long) field << 3);
            varint(value);
        }

        void string(int field, String value) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, Message value) {
            bytes(field, value.toBytes());
        }

        void bytes(int field, byte[] value) {
            varint(((long) field << 3) | 2);
            varint(value.length);
            out.writeBytes(value);
        }

        private void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
