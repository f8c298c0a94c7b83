package com.example.tickets

import dev.langchain4j.model.chat.ChatModel
import dev.llmunit.assertj.LlmAssertions.assertThat
import dev.llmunit.core.cost.Usd.usd
import dev.llmunit.junit.CostBudget
import dev.llmunit.junit.LlmCalls
import dev.llmunit.junit.LlmTest
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

@LlmTest(fixtures = "tagger", providers = ["openai:gpt-4o-mini"])
@CostBudget(perTest = "0.001")
class TicketTaggerKotlinTest {

    @Test
    fun `a double charge is billing`(model: ChatModel, calls: LlmCalls) {
        val tag = TicketTagger(model).tag("I was charged twice for May.")

        assertThat(tag).isEqualTo("BILLING")
        assertThat(calls).hasSize(1).allServedBy("openai").servedFromFixtures()
        assertThat(calls.last().cost()).isEqualTo(usd("0.00000525"))
    }
}
