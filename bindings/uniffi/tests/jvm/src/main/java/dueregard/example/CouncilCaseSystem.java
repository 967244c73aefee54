package dueregard.example;

public final class CouncilCaseSystem {
    public static void main(String[] args) {
        System.out.println(dueregard.Dueregard_uniffiKt.version());
    }
}
