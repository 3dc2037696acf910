package dev.adapterloop.adapters.milora;

/** Which r singular components of the frozen weight the adapter takes over; the frozen residual keeps the rest. */
public enum Components {

    /** MiLoRA: the r smallest singular components. */
    MINOR("milora"),

    /** PiSSA: the r largest singular components. */
    PRINCIPAL("pissa");

    private final String methodName;

    Components(String methodName) {
        this.methodName = methodName;
    }

    /** The method's stable name: {@code milora} or {@code pissa}. */
    public String methodName() {
        return methodName;
    }

    /** Indices (0-based, singular values sorted descending) of the r components taken, out of {@code m}. */
    public int[] indices(int m, int rank) {
        int first = this == MINOR ? m - rank : 0;
        int[] indices = new int[rank];
        for (int i = 0; i < rank; i++) {
            indices[i] = first + i;
        }
        return indices;
    }
}
