package org.nd4j.nativeblas;

/**
 * Compatibility shim for a class-name bug in DL4J 1.0.0-M2.1: its oneDNN layer helpers
 * ({@code BaseMKLDNNHelper.mklDnnEnabled()}) look up {@code org.nd4j.nativeblas.Nd4jCpu$Environment}
 * and its {@code isUseMKLDNN()}, which M2.1's CPU backend renamed to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment#isUseONEDNN()}. Without this
 * class the lookup fails and DL4J silently never uses oneDNN for convolution, pooling and
 * batchnorm. This class answers the old question with the new API, by reflection so that
 * fastdl4j still compiles against the ND4J API only (on a GPU backend it says "no").
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The old name of the native environment, as DL4J's helpers ask for it. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether the loaded native build has oneDNN switched on. */
        public boolean isUseMKLDNN() {
            try {
                Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Object instance = env.getMethod("getInstance").invoke(null);
                return (Boolean) env.getMethod("isUseONEDNN").invoke(instance);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return false;
            }
        }
    }
}
