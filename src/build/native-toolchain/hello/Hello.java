/** The toolchain's own check (assemble.sh --check): a hello-world native image. */
public class Hello {
    public static void main(String[] args) {
        System.out.println("Hello " + String.join(" ", args));
    }
}
